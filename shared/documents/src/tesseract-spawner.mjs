// The tesseract runs of native-ocr.ts are started from this small process. Starting a process
// from one with a large memory (the pipeline's: PGlite, V8 heaps, WebAssembly memories, ~1 GB)
// copies its page tables at every fork: ~25 ms of CPU and ~0.2 s with the event loop stopped per
// page on a busy machine, against ~2 ms here. Plain JavaScript (no tsx): it runs as it is from
// the source tree and in the built image.
import { spawn } from 'node:child_process';

process.on('message', (m) => {
  if (!m || m.type !== 'run') return;
  let answered = false;
  const answer = (msg) => {
    if (answered) return;
    answered = true;
    process.send?.({ id: m.id, ...msg });
  };
  let child;
  try {
    child = spawn(m.bin, m.args, { env: m.env, stdio: ['pipe', 'pipe', 'ignore'] });
  } catch (error) {
    answer({ type: 'error', message: error.message, code: error.code });
    return;
  }
  const out = [];
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, m.timeoutMs);
  child.stdout.on('data', (c) => out.push(c));
  child.on('error', (error) => {
    clearTimeout(timer);
    answer({ type: 'error', message: error.message, code: error.code });
  });
  child.on('close', (code) => {
    clearTimeout(timer);
    answer({ type: 'done', timedOut, code, stdout: Buffer.concat(out).toString('utf8') });
  });
  child.stdin.on('error', () => undefined); // EPIPE when tesseract dies early; 'close' reports it
  child.stdin.end(Buffer.from(m.input.buffer, m.input.byteOffset, m.input.byteLength));
});
// The engine that started it closed or died: nothing left to do.
process.on('disconnect', () => process.exit(0));
