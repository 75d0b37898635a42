/**
 * What every `tekton-ls` command shares: the one argument parser (Node's `util.parseArgs`), the output streams and
 * the one path from a command's outcome to its exit code and messages.
 *
 * A command declares its flags ({@link ArgsSpec}) and a `run` that returns its exit code. Failures are thrown:
 * {@link UsageError} (exit 2, `tekton-ls CMD: message` and, unless told otherwise, the command's usage on stderr) and
 * {@link CommandError} (`tekton-ls CMD: message` on stderr, exit 1 unless told otherwise). Nothing here calls
 * `process.exit`: main.ts sets `process.exitCode`, so piped output is written out in full.
 */
import { InputFileError } from '../workspace/inputFile';
import { parseArgs } from 'node:util';

/** Where a command writes. */
export interface CliOutput {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
}

/** Where a command writes, and the folder its relative paths start from; tests pass their own. */
export interface CliIo extends CliOutput {
  cwd: string;
}

/** A failure that ends a command: `tekton-ls CMD: message` on stderr and the exit code. */
export class CommandError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad usage: exit 2, the message and (unless `showUsage` is false) the command's usage text. */
export class UsageError extends CommandError {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message, 2);
  }
}

/** One flag of a command. */
export interface FlagSpec {
  /** `string` takes a value (`--name VALUE`, `--name=VALUE`, `-n VALUE`); `boolean` takes none. */
  type: 'string' | 'boolean';
  /** A one-letter form, `-n VALUE` (never `-nVALUE` or `-n=VALUE`: those are unknown options). */
  short?: string;
  /** More long names of the same flag (upstream tools' spellings, e.g. binding-eval's `--http_request`). */
  aliases?: readonly string[];
  /** Checks a value where it stands on the command line (so errors come in command-line order); throws UsageError. */
  check?: (value: string) => void;
  /** Nothing after this flag is read (cel's `-h`: help wins over whatever follows). */
  stopsParsing?: boolean;
}

/** The command line of a command. */
export interface ArgsSpec {
  /** By canonical name (the primary long name). */
  flags: Record<string, FlagSpec>;
  /** Operands are collected (check's PATHs); otherwise each is `unexpected argument ARG`. */
  operands?: boolean;
  /** Name an unexpected operand as a JSON string (cel). */
  quoteUnexpected?: boolean;
  /** A value flag at the end of the line reads as '' (check) instead of failing with `--name needs a value`. */
  missingValueIsEmpty?: boolean;
  /** This word as the first argument is skipped (`tekton-ls simulate simulate …`, as upstream triggerrun is used). */
  skipFirst?: string;
}

/** The flags and operands of a command line. */
export class ParsedArgs {
  constructor(
    private readonly values: ReadonlyMap<string, readonly string[]>,
    readonly operands: readonly string[],
  ) {}

  has(flag: string): boolean {
    return this.values.has(flag);
  }

  /** Every value of a repeatable flag, in order. */
  all(flag: string): string[] {
    return [...(this.values.get(flag) ?? [])];
  }

  first(flag: string): string | undefined {
    return this.values.get(flag)?.[0];
  }

  last(flag: string): string | undefined {
    return this.values.get(flag)?.at(-1);
  }
}

/**
 * Parses a command line. `util.parseArgs` splits it into tokens (non-strict, so that a value may start with '-', as
 * `--expr -x` always could); the tokens are then held to the command's flags here, in order, with the messages the
 * commands have always printed: `unknown option ARG` (also for `-nVALUE`, short groups, a lone `-` and `--`),
 * `--name needs a value`, `unexpected argument ARG`. Throws UsageError.
 */
export function parseCommandArgs(args: readonly string[], spec: ArgsSpec): ParsedArgs {
  const argv = spec.skipFirst !== undefined && args[0] === spec.skipFirst ? args.slice(1) : [...args];
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = {};
  const canonical = new Map<string, string>();
  for (const [name, flag] of Object.entries(spec.flags)) {
    options[name] = flag.short ? { type: flag.type, short: flag.short } : { type: flag.type };
    canonical.set(name, name);
    for (const alias of flag.aliases ?? []) {
      options[alias] = { type: flag.type };
      canonical.set(alias, name);
    }
  }
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const values = new Map<string, string[]>();
  const operands: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'option-terminator') throw new UsageError('unknown option --');
    const raw = argv[token.index];
    if (token.kind === 'positional') {
      if (raw.startsWith('-')) throw new UsageError(`unknown option ${raw}`);
      if (!spec.operands) throw new UsageError(`unexpected argument ${spec.quoteUnexpected ? JSON.stringify(raw) : raw}`);
      operands.push(raw);
      continue;
    }
    const name = canonical.get(token.name);
    const asWritten = raw === token.rawName || (token.rawName.startsWith('--') && raw.startsWith(`${token.rawName}=`));
    if (name === undefined || !asWritten) throw new UsageError(`unknown option ${raw}`);
    const flag = spec.flags[name];
    let value = '';
    if (flag.type === 'string') {
      if (token.value !== undefined) value = token.value;
      else if (!spec.missingValueIsEmpty) throw new UsageError(`${token.rawName} needs a value`);
      flag.check?.(value);
    }
    values.set(name, [...(values.get(name) ?? []), value]);
    if (flag.stopsParsing) break;
  }
  return new ParsedArgs(values, operands);
}

/** A command: its name, usage text, flags and body. */
export interface CliCommand<Io extends CliOutput = CliIo> {
  name: string;
  usage: string;
  /** The flags; a function when a check needs the io (check's `--workspace` must exist under io.cwd). */
  args: ArgsSpec | ((io: Io) => ArgsSpec);
  /** Runs with the parsed arguments and resolves to the exit code; failures may be thrown as CommandError. */
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/**
 * Runs a command: parses, answers `help` (a flag named help) with the usage on stdout, runs, and turns a thrown
 * CommandError into its message and exit code. Resolves to the exit code.
 */
export async function runCommand<Io extends CliOutput>(command: CliCommand<Io>, args: readonly string[], io: Io): Promise<number> {
  try {
    const parsed = parseCommandArgs(args, typeof command.args === 'function' ? command.args(io) : command.args);
    if (parsed.has('help')) {
      io.stdout(command.usage);
      return 0;
    }
    return await command.run(parsed, io);
  } catch (e) {
    // a file named on the command line that cannot be read is bad usage, the same for every command
    if (e instanceof InputFileError) {
      io.stderr(`tekton-ls ${command.name}: ${e.message}\n`);
      return 2;
    }
    if (!(e instanceof CommandError)) throw e;
    const usage = e instanceof UsageError && e.showUsage ? command.usage : '';
    io.stderr(`tekton-ls ${command.name}: ${e.message}\n${usage}`);
    return e.exitCode;
  }
}

/** `(args, io) => exit code` for a command: what the dispatcher and the tests call. */
export function commandRunner<Io extends CliOutput>(command: CliCommand<Io>): (args: readonly string[], io: Io) => Promise<number> {
  return (args, io) => runCommand(command, args, io);
}
