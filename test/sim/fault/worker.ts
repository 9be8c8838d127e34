/**
 * A simulation worker with an injected fault, for the tests of partial results (issue 11): the real
 * worker (src/sim/worker.ts) with its simulations wrapped (./inject.ts) so that the
 * batch of one round on one stream throws. The fault is named in this module's URL query
 * (`worker.ts?stream=1&round=2`), so every thread of a pool gets the same one. Static imports only:
 * both message listeners are registered before the first message arrives.
 */
import { fault } from "./inject.js";
import "../../../src/sim/worker.js";

const query = new URL(import.meta.url).searchParams;
fault.stream = Number(query.get("stream"));
fault.round = Number(query.get("round"));
