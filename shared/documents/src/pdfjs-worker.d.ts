// pdf.js's worker module, loaded up front by loadReaders (read.ts); pdf.js reads it from globalThis.pdfjsWorker.
declare module 'pdfjs-dist/legacy/build/pdf.worker.mjs' {
  export const WorkerMessageHandler: unknown;
}
