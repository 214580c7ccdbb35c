/**
 * cdktf records a stack trace for every token it creates (`Error.captureStackTrace` on a plain
 * object), only to say where a token came from if it later cannot be resolved. Formatting those
 * traces costs ~0.3 s of a 3 s synth, and ~2.7 s per test file under jest's source-mapping
 * formatter. This keeps real errors' stacks and returns an empty trace for everything else.
 */
export function skipTokenStackTraces(): void {
  const formatStack = Error.prepareStackTrace;
  Error.prepareStackTrace = (target: unknown, frames: NodeJS.CallSite[]) => {
    if (!(target instanceof Error)) return "";
    if (formatStack) return formatStack(target as Error, frames);
    return `${String(target)}${frames.map((frame) => `\n    at ${frame}`).join("")}`;
  };
}
