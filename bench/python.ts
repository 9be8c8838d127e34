/**
 * Runs a comparison script of scripts/bench/ with the system Python and Debian's python3-numpy and
 * python3-pandas, and reads the JSON line it prints last. On a fresh machine the benchmark installs
 * the two packages with apt-get when it runs as root; when Python or a module is still missing, the
 * comparison is skipped with the reason (and the command that installs them) instead of failing
 * the benchmark.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** A comparison that could not run, and why. */
export interface Skipped {
  readonly skipped: string;
}

/** The Python the comparisons run with: Debian's /usr/bin/python3 when present. */
export const PYTHON = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

/** The Debian packages the comparisons import. */
const PACKAGES = ["python3-numpy", "python3-pandas"];

let installTried = false;

/** Installs {@link PACKAGES} with apt-get once per run when numpy or pandas is missing and we are root. */
function ensurePythonModules(): void {
  if (installTried) return;
  installTried = true;
  const importable = () => {
    try {
      execFileSync(PYTHON, ["-c", "import numpy, pandas"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  };
  if (importable() || process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return;
  console.log(`installing ${PACKAGES.join(" ")} for the Python comparisons (apt-get)`);
  try {
    execFileSync("apt-get", ["install", "-y", "-q", ...PACKAGES], { stdio: ["ignore", "ignore", "inherit"] });
  } catch {
    // The comparison that needs them reports it is skipped.
  }
}

/** Runs `scripts/bench/<name>` with `args` and parses its last output line as JSON. */
export function runPythonJson<T>(name: string, args: readonly string[]): T | Skipped {
  ensurePythonModules();
  const script = fileURLToPath(new URL(`../scripts/bench/${name}`, import.meta.url));
  let out: string;
  try {
    out = execFileSync(PYTHON, [script, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? String(error);
    return {
      skipped: `${name} skipped: ${PYTHON} ${script} failed (${stderr.trim().split("\n").pop()}); install with apt-get install -y ${PACKAGES.join(" ")}`,
    };
  }
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as T;
}
