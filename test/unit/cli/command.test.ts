/**
 * The one argument parser and output path of every `tekton-ls` command (server/src/cli/command.ts): the forms each
 * command has always accepted, the messages of bad usage, and how outcomes become exit codes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  CommandError,
  parseCommandArgs,
  runCommand,
  UsageError,
  type ArgsSpec,
  type CliCommand,
  type CliOutput,
} from '../../../server/src/cli/command';
import { capture } from './capture';

const spec: ArgsSpec = {
  flags: {
    help: { type: 'boolean', short: 'h' },
    'http-request': { type: 'string', short: 'r', aliases: ['http_request', 'httpPath'] },
    workspace: { type: 'string', short: 'w' },
    'assume-pass': { type: 'boolean' },
  },
};

function usageMessage(args: string[], s: ArgsSpec = spec): string {
  try {
    parseCommandArgs(args, s);
  } catch (e) {
    assert.ok(e instanceof UsageError, String(e));
    return e.message;
  }
  assert.fail(`parsed: ${JSON.stringify(args)}`);
}

describe('parseCommandArgs', () => {
  it('reads --name VALUE, --name=VALUE, -n VALUE and every alias under the canonical name', () => {
    for (const args of [
      ['--http-request', 'a'],
      ['--http-request=a'],
      ['-r', 'a'],
      ['--http_request', 'a'],
      ['--httpPath=a'],
    ])
      assert.equal(parseCommandArgs(args, spec).first('http-request'), 'a', JSON.stringify(args));
  });

  it('keeps every value of a repeated flag in order: first, last and all', () => {
    const p = parseCommandArgs(['-w', 'a', '--workspace=b', '--workspace', 'c'], spec);
    assert.deepEqual(p.all('workspace'), ['a', 'b', 'c']);
    assert.equal(p.first('workspace'), 'a');
    assert.equal(p.last('workspace'), 'c');
    assert.equal(p.has('http-request'), false);
    assert.deepEqual(p.all('http-request'), []);
  });

  it('takes the next argument as the value even when it starts with a dash, and an empty inline value', () => {
    assert.equal(parseCommandArgs(['-r', '--workspace'], spec).first('http-request'), '--workspace');
    assert.equal(parseCommandArgs(['-r', '--'], spec).first('http-request'), '--');
    assert.equal(parseCommandArgs(['--http-request='], spec).first('http-request'), '');
    assert.equal(parseCommandArgs(['--http-request=a=b'], spec).first('http-request'), 'a=b');
  });

  it('reads boolean flags, ignoring an inline value as the commands always did', () => {
    assert.ok(parseCommandArgs(['--assume-pass'], spec).has('assume-pass'));
    assert.ok(parseCommandArgs(['--help=1'], spec).has('help'));
    assert.ok(parseCommandArgs(['-h'], spec).has('help'));
  });

  it('names unknown options as written, also attached short values, short groups, a lone - and --', () => {
    for (const arg of ['--bogus', '--bogus=1', '-x', '-ra', '-r=a', '-hh', '-', '---x', '--=x', '-1'])
      assert.equal(usageMessage([arg, 'more']), `unknown option ${arg}`);
    assert.equal(usageMessage(['--', '-r', 'a']), 'unknown option --');
  });

  it('fails on a missing value with the flag as written, or reads it as empty when the command says so', () => {
    assert.equal(usageMessage(['-r']), '-r needs a value');
    assert.equal(usageMessage(['--http_request']), '--http_request needs a value');
    assert.equal(parseCommandArgs(['--workspace'], { ...spec, missingValueIsEmpty: true }).first('workspace'), '');
  });

  it('collects operands only where allowed; otherwise names the first, quoted when asked', () => {
    assert.deepEqual(parseCommandArgs(['a', '-r', 'x', '', 'b'], { ...spec, operands: true }).operands, ['a', '', 'b']);
    assert.equal(usageMessage(['-r', 'x', 'extra']), 'unexpected argument extra');
    assert.equal(usageMessage(['extra'], { ...spec, quoteUnexpected: true }), 'unexpected argument "extra"');
  });

  it('skips the command name as first argument when told, and only there', () => {
    const s = { ...spec, skipFirst: 'simulate' };
    assert.equal(parseCommandArgs(['simulate', '-r', 'a'], s).first('http-request'), 'a');
    assert.equal(usageMessage(['-r', 'a', 'simulate'], s), 'unexpected argument simulate');
  });

  it('checks values where they stand, so the first problem on the line is the one reported', () => {
    const s: ArgsSpec = {
      flags: {
        format: {
          type: 'string',
          check: (v) => {
            if (v !== 'json') throw new UsageError(`bad format ${v}`, false);
          },
        },
      },
    };
    assert.equal(usageMessage(['--format', 'xml', '--bogus'], s), 'bad format xml');
    assert.equal(usageMessage(['--bogus', '--format', 'xml'], s), 'unknown option --bogus');
  });

  it('stops at a flag that stops parsing, reading nothing after it', () => {
    const s: ArgsSpec = { flags: { ...spec.flags, help: { type: 'boolean', short: 'h', stopsParsing: true } } };
    assert.ok(parseCommandArgs(['-h', '--bogus', 'x'], s).has('help'));
    assert.equal(usageMessage(['--bogus', '-h'], s), 'unknown option --bogus');
    assert.equal(usageMessage(['-h', '--bogus']), 'unknown option --bogus');
  });
});

describe('runCommand', () => {
  const command = (run: CliCommand<CliOutput>['run']): CliCommand<CliOutput> => ({
    name: 'demo',
    usage: 'usage: demo\n',
    args: spec,
    run,
  });
  const fails = (e: Error) => command(async () => Promise.reject(e));

  it('answers help with the usage on stdout and exit 0, without running', async () => {
    const r = await capture((io) => runCommand(command(async () => assert.fail('ran')), ['-h'], io));
    assert.deepEqual(r, { code: 0, stdout: 'usage: demo\n', stderr: '' });
  });

  it('prints usage errors with the usage (unless told not to) on stderr and exits 2', async () => {
    const r = await capture((io) => runCommand(command(async () => 0), ['--bogus'], io));
    assert.deepEqual(r, { code: 2, stdout: '', stderr: 'tekton-ls demo: unknown option --bogus\nusage: demo\n' });
    const quiet = await capture((io) => runCommand(fails(new UsageError('x: no such file', false)), [], io));
    assert.deepEqual(quiet, { code: 2, stdout: '', stderr: 'tekton-ls demo: x: no such file\n' });
  });

  it('turns a CommandError into its message and exit code, and resolves to what run returns', async () => {
    const broken = await capture((io) => runCommand(fails(new CommandError('broken')), [], io));
    assert.deepEqual(broken, { code: 1, stdout: '', stderr: 'tekton-ls demo: broken\n' });
    assert.equal((await capture((io) => runCommand(fails(new CommandError('none', 3)), [], io))).code, 3);
    const ran = await capture((io) => runCommand(command(async (args) => (args.has('assume-pass') ? 3 : 0)), ['--assume-pass'], io));
    assert.equal(ran.code, 3);
  });

  it('lets other errors through to the caller (main.ts reports them, exit 1)', async () => {
    await assert.rejects(capture((io) => runCommand(fails(new TypeError('bug')), [], io)), TypeError);
  });
});
