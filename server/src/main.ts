import { setFlagsFromString } from 'node:v8';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { runCli, isCliCommand } from './cli';
import { startServer } from './server';
import { formatError } from './lsp/runner';

/**
 * Entry point of `dist/server.js` and the `tekton-ls` bin: `--stdio` / `--node-ipc` / `--socket=N` start the language
 * server; `check`, `cel`, … run the command line.
 */
function main(argv: string[]): void {
  if (isCliCommand(argv)) {
    // Never process.exit(): it would cut output still queued for a pipe (at 64 KiB); the process ends once written.
    // A reader that stops early (`| head`) closes the pipe: the rest of the output is dropped, not a crash.
    for (const stream of [process.stdout, process.stderr])
      stream.on('error', (err: NodeJS.ErrnoException) => {
        if (err.code !== 'EPIPE') throw err;
      });
    runCli(argv).then(
      (code) => {
        process.exitCode = code;
      },
      (err) => {
        process.stderr.write(`${formatError('tekton-ls failed', err)}\n`);
        process.exitCode = 1;
      },
    );
    return;
  }
  // Every keystroke in a big file leaves its previous text (megabytes, in V8's large-object space) to the next full
  // collection, which V8 schedules by letting the heap grow up to about 4× what survived the last one: 20 edits of a
  // 48k-line file took the peak RSS from 160 to 240 MB with under 60 MB alive. Collecting once the heap has grown by
  // 30 % keeps the peak near 190 MB with no measurable cost to opens or edits (test/bench/lspBench.mjs). A GC-tuning
  // flag, read at each collection, so setting it here works for every launcher (VS Code, the bin, editors).
  setFlagsFromString('--heap-growing-percent=30');
  const connection = createConnection(ProposedFeatures.all);
  // stdout carries the protocol under --stdio: route console output to the client's log instead.
  console.log = (...args: unknown[]) => connection.console.log(args.map(String).join(' '));
  console.error = (...args: unknown[]) => connection.console.error(args.map(String).join(' '));
  process.on('unhandledRejection', (err) => connection.console.error(formatError('Unhandled rejection', err)));
  process.on('uncaughtException', (err) => connection.console.error(formatError('Uncaught exception', err)));
  startServer(connection);
}

main(process.argv.slice(2));
