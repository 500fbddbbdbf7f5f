#!/usr/bin/env python3
"""Prints the tables of docs/performance.md from bench/run.sh's results.

usage: table.py RESULTS_DIR [CONSOLE_RESULTS_DIR]
RESULTS_DIR holds results.tsv (and versions.txt, startup.txt, warmup.md, syscalls.md and .tsv, idle.tsv and idle.md, or
idle10/results.tsv from runs before bench/idle.sh) of a run with
direct, pen, haproxy-1t and jpen; CONSOLE_RESULTS_DIR one with jpen-engine, jpen-console and jpen-remote. Every cell
is the median over the run's rounds, but the first round's connections per second (a cold JVM's). Exits 1 (after printing) when jpen-remote ran but its log does not show its remote watcher receiving
snapshots all along: then the remote column would be a bare engine's cost.
"""
import math
import re
import os
import statistics
import sys


def load(path):
    rows = {}
    with open(os.path.join(path, 'results.tsv')) as f:
        for line in f:
            if line.startswith('#'):
                continue
            c = line.rstrip('\n').split('\t')
            if len(c) >= 12:
                rows.setdefault((c[1], c[2]), []).append(c)
    return rows


def num(x):
    try:
        v = float(x)
        return None if math.isnan(v) else v
    except ValueError:
        return None


def med(rows, wl, cand, col):
    vs = [num(r[col]) for r in rows.get((wl, cand), [])]
    vs = [v for v in vs if v is not None]
    return statistics.median(vs) if vs else None


def fmt(v, unit):
    if v is None:
        return '—'
    if unit == 'ratio':
        return f'{v:.2f}'
    if unit in ('ms', 'KiB') and v >= 100:
        return f'{v:,.0f} {unit}'
    return f'{v:.1f} {unit}' if v >= 10 else f'{v:.2f} {unit}'


COST, VALUE, AUX = 8, 3, 5
WATCHER_LINE = re.compile(r'ConsoleProbe: remote watcher(?: \(pid \d+\))? received (\d+) snapshots over ([\d.]+) s '
                          r'\(([\d.]+) per s\)')
MIN_SNAPSHOTS_PER_S = 3   # the API streams at the LocalConsole's 4 Hz tick


def remote_watcher(console_dir):
    """(why the remote console check failed or None, the probe's report lines) from jpen-remote's log."""
    log = os.path.join(console_dir, 'raw', 'proc-jpen-remote-main.log')
    if not os.path.exists(log):
        return f'no log at {log}', []
    text = open(log, errors='replace').read().splitlines()
    reports = [l.strip() for l in text if 'ConsoleProbe: remote watcher' in l and 'received' in l]
    failures = [l.strip() for l in text if 'ConsoleProbe: FAILED' in l]
    lines = reports + failures + [l.strip() for l in text if l.startswith('RemoteWatcher:')]
    if failures:
        return failures[0], lines
    if not reports:
        return f'the probe never reported what its watcher received (see {log})', lines
    for l in reports:
        m = WATCHER_LINE.search(l)
        n, rate = (int(m.group(1)), float(m.group(3))) if m else (0, 0.0)
        if n == 0 or rate < MIN_SNAPSHOTS_PER_S:
            return f'the watcher received {n} snapshots ({rate:.2f} per s, want >= {MIN_SNAPSHOTS_PER_S})', lines
    return None, lines

THREAD_CPU_LINE = re.compile(r'ConsoleProbe: thread CPU \(s\):((?: \w+ [\d.]+)+)')


def thread_cpu(console_dir, cand):
    """{kind: seconds} from the probe's last thread CPU report in the candidate's log, or None."""
    log = os.path.join(console_dir, 'raw', f'proc-{cand}-main.log')
    if not os.path.exists(log):
        return None
    found = None
    for line in open(log, errors='replace'):
        m = THREAD_CPU_LINE.search(line)
        if m:
            f = m.group(1).split()
            found = {f[i]: float(f[i + 1]) for i in range(0, len(f), 2)}
    return found


def console_threads_line(console_dir):
    """The console's own CPU beside the relay's, per instance: what the CPU-per-request comparison cannot resolve."""
    parts = []
    for cand, label in (('jpen-engine', 'engine alone'), ('jpen-console', 'local console'),
                        ('jpen-remote', 'remote console')):
        t = thread_cpu(console_dir, cand)
        if not t or not t.get('relay'):
            continue
        parts.append(f'{label} {t.get("console", 0):.2f} s beside {t["relay"]:.1f} s '
                     f'({t.get("console", 0) / t["relay"] * 100:.1f} %)')
    if not parts:
        return None
    return ('CPU of the console\'s own threads (sampler, API, commands) beside the relay\'s event loops, same '
            'process, whole run: ' + '; '.join(parts))


# The issue-9 rows: absolute targets for jpen.  (label, workload(s), column, unit, target, lower_is_better)
ROWS = [
    ('64 MiB HTTP transfers: CPU per GB', ['bulk'], COST, 'ms', 400, True),
    ('one iperf3 TCP stream: CPU per GB', ['iperf'], COST, 'ms', 250, True),
    ('UDP 512 B datagrams: CPU per datagram', 'udp', COST, 'µs', 5, True),
]


def cell(rows, wls, col, unit, cand):
    vals = [med(rows, w, cand, col) for w in wls]
    vals = [v for v in vals if v is not None]
    if not vals:
        return None, '—'
    if len(vals) == 1:
        return vals[0], fmt(vals[0], unit)
    lo, hi = min(vals), max(vals)
    return hi, f'{fmt(lo, unit)} – {fmt(hi, unit)}'


def first_round(rows, wl, cand, col):
    """The value of round 1 (a fresh instance after anchors' short keep-alive warm-up: a cold JVM's connections)."""
    for r in rows.get((wl, cand), []):
        if r[0] == '1':
            return num(r[col])
    return None


STARTUP = re.compile(r'(?:package (\d+) ms, )?jpen (\d+) ms \(\./jpen, class-data archive\).*?pen (\d+) ms;')


def startup_ms(out):
    """(package, ./jpen, pen) start-to-listening medians from startup.txt, or Nones."""
    path = os.path.join(out, 'startup.txt')
    if not os.path.exists(path):
        return None, None, None
    m = STARTUP.search(open(path).read())
    if not m:
        return None, None, None
    return tuple(int(g) if g else None for g in m.groups())


def syscall_totals(out):
    """{workload: {candidate: system calls per request}} from bench/syscalls.sh's syscalls.tsv."""
    path = os.path.join(out, 'syscalls.tsv')
    totals = {}
    if os.path.exists(path):
        for line in open(path):
            wl, cand, v = line.split('\t')
            totals.setdefault(wl, {})[cand] = float(v)
    return totals


def idle_settled(out):
    """({candidate: KiB 1 s after}, {candidate: KiB 10 s after}) medians from bench/idle.sh's idle.tsv, or None."""
    path = os.path.join(out, 'idle.tsv')
    if not os.path.exists(path):
        return None
    one, ten = {}, {}
    for line in open(path):
        f = line.split('\t')
        if len(f) == 5:
            one.setdefault(f[0], []).append(float(f[3]))
            ten.setdefault(f[0], []).append(float(f[4]))
    return ({c: statistics.median(v) for c, v in one.items()}, {c: statistics.median(v) for c, v in ten.items()})


def columns(rows):
    cands = [('pen', 'Pen'), ('haproxy-1t', 'HAProxy (1 thread)')]
    # any further candidates (bench/run.sh --tcp ...) get a column too; jpen's own stays last, with the target
    known = {'direct', 'pen', 'haproxy-1t', 'haproxy-mt', 'jpen'}
    cands += [(c, c) for c in sorted({c for (_, c) in rows} - known)]
    cands.append(('jpen', 'jpen'))
    return cands


def main_table(out, idle10):
    """The issue-26 table: jpen against Pen, with HAProxy beside them, every row of the issue's targets."""
    rows = load(out)
    late = load(idle10) if idle10 and os.path.exists(os.path.join(idle10, 'results.tsv')) else {}
    cands = columns(rows)
    print('| workload | ' + ' | '.join(f'**{n}**' if c == 'jpen' else n for c, n in cands)
          + ' | jpen ÷ Pen | target | met? |')
    print('|---|' + '---|' * (len(cands) + 3))

    def row(label, values, unit, target_text, ok, ratio=True, nd=None):
        pen, jp = values.get('pen'), values.get('jpen')
        r = (jp / pen) if (ratio and pen and jp is not None) else None
        texts = []
        for c, _ in cands:
            v = values.get(c)
            t = '—' if v is None else (f'{v:,.{nd}f} {unit}'.rstrip() if nd is not None else fmt(v, unit))
            texts.append(f'**{t}**' if c == 'jpen' and v is not None else t)
        verdict = '—' if jp is None else ok(jp, pen, r)
        print(f'| {label} | ' + ' | '.join(texts) + f' | {"—" if r is None else f"{r:.2f}"} | {target_text} | {verdict} |')

    def vs_pen(lower_better, factor):
        def ok(jp, pen, r):
            if r is None:
                return '—'
            good = r <= factor if lower_better else r >= factor
            return 'yes' if good else f'no ({r:.2f} × Pen)'
        return ok

    def absolute(target, unit):
        return lambda jp, pen, r: 'yes' if jp <= target else f'no ({jp - target:+.1f} {unit}, ×{jp / target:.1f})'

    cost = {c: med(rows, 'close', c, COST) for c, _ in cands}
    row('new connection per request: CPU per connection', cost, 'µs', '≤ 1.0 × Pen', vs_pen(True, 1.0))
    p99 = {c: med(rows, 'close', c, AUX) for c, _ in cands}
    row('same, p99 latency', p99, 'ms', '≤ Pen', vs_pen(True, 1.0))
    cold = {c: first_round(rows, 'close', c, VALUE) for c, _ in cands}
    row('same, first round (cold JVM): connections/s', cold, '/s', '≥ 0.9 × Pen', vs_pen(False, 0.9), nd=0)
    ka = {c: med(rows, 'ka', c, COST) for c, _ in cands}
    row('keep-alive 100 B: CPU per request', ka, 'µs', '≤ 1.0 × Pen', vs_pen(True, 1.0))
    settled = idle_settled(out)
    if settled:
        # bench/idle.sh: the base read after a quiet spell, not right after the warm-up (docs/performance.md, "Memory")
        row('idle connections: RSS per connection, 1 s after (settled base)', settled[0], 'KiB', '≤ 2 KiB',
            absolute(2, 'KiB'), ratio=False, nd=2)
        row('same, 10 s after', settled[1], 'KiB', '≤ 2 KiB', absolute(2, 'KiB'), ratio=False, nd=2)
    else:
        idle1 = {c: med(rows, 'idle', c, VALUE) for c, _ in cands}
        row('idle connections: RSS per connection, 1 s after', idle1, 'KiB', '≤ 2 KiB', absolute(2, 'KiB'), ratio=False)
        if late:
            idle10v = {c: med(late, 'idle', c, VALUE) for c, _ in cands}
            row('same, 10 s after', idle10v, 'KiB', '≤ 2 KiB', absolute(2, 'KiB'), ratio=False)
    base = {c: med(rows, 'idle', c, AUX) for c, _ in cands}
    row('base RSS before any connection', base, 'MiB', '≤ 40 MiB', absolute(40, 'MiB'), nd=1)
    pkg, dot, pen_ms = startup_ms(out)
    if pen_ms is not None:
        st = {'pen': pen_ms, 'jpen': pkg if pkg is not None else dot}
        label = 'start to listening' + (' (jpen: the installed package\'s launcher)' if pkg is not None else ' (./jpen)')
        row(label, st, 'ms', '≤ 200 ms', absolute(200, 'ms'), nd=0)
    sc = syscall_totals(out)
    for wl, label in (('close', 'system calls per connection (Connection: close)'),
                      ('ka', 'system calls per keep-alive request')):
        if sc.get(wl):
            row(label, sc[wl], '', '≤ 1.0 × Pen', vs_pen(True, 1.0), nd=1)
    print()
    print('Earlier targets (issue 9):')
    print()
    print('| workload | ' + ' | '.join(n for _, n in cands) + ' | jpen target | jpen met? |')
    print('|---|' + '---|' * (len(cands) + 2))
    udp = sorted({w for (w, _) in rows if w.startswith('udp@')})
    for label, wls, col, unit, target, lower in ROWS:
        wls = udp if wls == 'udp' else wls
        cells = [cell(rows, wls, col, unit, c) for c, _ in cands]
        jv = cells[-1][0]
        met = '—' if jv is None else ('yes' if (jv <= target if lower else jv >= target) else
                                      f'no (×{jv / target:.1f} the target)')
        print(f'| {label} | ' + ' | '.join(t for _, t in cells) + f' | ≤ {target} {unit} | {met} |')
    ratios = []
    for c, _ in cands:
        parts = []
        for w in ('ka', 'bulk'):
            d, v = med(rows, w, 'direct', VALUE), med(rows, w, c, VALUE)
            parts.append(v / d if (d and v is not None) else None)
        ratios.append(parts)
    txt = [', '.join('—' if p is None else f'{p:.2f}' for p in r) for r in ratios]
    jr = ratios[-1]
    met = '—' if None in jr else ('yes' if jr[0] >= 0.95 and jr[1] >= 0.9 else
                                  f'no ({jr[0]:.2f} vs 0.95, {jr[1]:.2f} vs 0.9)')
    print('| throughput vs direct (keep-alive, bulk) | ' + ' | '.join(txt) + f' | ≥ 0.95, ≥ 0.9 | {met} |')
    print()
    print('Per round (anchors.sh, new connection per request), connections/s: '
          + '; '.join(f'{n} ' + ', '.join(f'{num(r[VALUE]):,.0f}' for r in rows.get(('close', c), []) if num(r[VALUE]))
                      for c, n in cands))


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    idle10 = os.path.join(out, 'idle10')
    if os.path.exists(os.path.join(out, 'results.tsv')):  # absent when run.sh ran with PHASE1=0
        main_table(out, idle10)

    startup = os.path.join(out, 'startup.txt')
    if os.path.exists(startup):
        print()
        print('Start to listening (median, ms): ' + open(startup).read().strip())
    warmup = os.path.join(out, 'warmup.md')
    if os.path.exists(warmup):
        print()
        print(open(warmup).read().rstrip())
    idle = os.path.join(out, 'idle.md')
    if os.path.exists(idle):
        print()
        print(open(idle).read().rstrip())
    syscalls = os.path.join(out, 'syscalls.md')
    if os.path.exists(syscalls):
        print()
        print(open(syscalls).read().rstrip())
    failed = None
    if len(sys.argv) > 2:
        con = load(sys.argv[2])
        ran = any(c == 'jpen-remote' for (_, c) in con) or os.path.exists(
            os.path.join(sys.argv[2], 'raw', 'proc-jpen-remote-main.log'))
        watcher = remote_watcher(sys.argv[2]) if ran else None
        print()
        print('| console cost (same engine, same run) | engine alone | engine + LocalConsole (4 Hz) | change '
              '| engine + remote console (API, 4 Hz) | change | target |')
        print('|---|---|---|---|---|---|---|')
        for label, w in (('keep-alive: CPU per request', 'ka'), ('new connection: CPU per connection', 'close')):
            a = med(con, w, 'jpen-engine', COST)
            changes = []
            for cand in ('jpen-console', 'jpen-remote'):
                b = med(con, w, cand, COST)
                ch = '—' if (a is None or b is None) else f'{(b / a - 1) * 100:+.1f} %'
                changes.append((b, ch))
            if watcher is not None and watcher[0] is not None:
                changes[1] = (changes[1][0], 'not attached')
            print(f'| {label} | {fmt(a, "µs")} | ' + ' | '.join(f'{fmt(b, "µs")} | {ch}' for b, ch in changes)
                  + ' | ≤ +5 % |')
        threads = console_threads_line(sys.argv[2])
        if threads:
            print()
            print(threads)
        if watcher is not None:
            failed, lines = watcher
            print()
            for line in lines:
                print('    ' + line)
            if failed:
                print(f'    REMOTE CONSOLE CHECK FAILED: {failed}')
    noise = []
    phase1 = os.path.join(out, 'results.tsv')
    rows = load(out) if os.path.exists(phase1) else (load(sys.argv[2]) if len(sys.argv) > 2 else {})
    for (w, c), rs in rows.items():
        for r in rs:
            v = num(r[10])
            if v is not None:
                noise.append(v)
    versions = os.path.join(out, 'versions.txt')
    print()
    if os.path.exists(versions):
        for line in open(versions):
            if line.startswith(('date:', 'host:', 'os:', 'pen:', 'haproxy:', 'settings:')):
                print('    ' + line.rstrip())
    if noise:
        print(f'    foreign CPU during the runs (other processes, % of one core): median {statistics.median(noise):.0f}, '
              f'worst {max(noise):.0f}')
    print(f'    results: {out}')
    if failed:
        sys.exit(1)


if __name__ == '__main__':
    main()
