"""Compare perf.py results of our placement against upstream placement.

    python tools/bench/compare_perf.py --dir .state/bench --db sqlite \
        --ns 1000 5000

Reads DIR/{ours,upstream}-DB-N.json (written by perf.py --json); when a
side's JSON is missing, the tail of DIR/SIDE-DB-N.log says why the run
failed. Prints, per N, both sides' figures, the ratios ours/upstream and
the targets. Exits 1 when a run failed or a target is missed.
"""

import argparse
import json
import os
import sys

SIDES = ('upstream', 'ours')
# Ours must answer allocation candidates in a third of upstream's time and
# claim twice as fast, without errors.
AC_P50_RATIO_MAX = 0.33
CLAIMS_RATIO_MIN = 2.0


def load(directory: str, side: str, db: str, n: int) -> dict:
    """A side's perf.py result, or {'failed': reason}."""
    base = os.path.join(directory, '%s-%s-%d' % (side, db, n))
    try:
        with open(base + '.json') as fh:
            return json.load(fh)
    except FileNotFoundError:
        pass
    try:
        with open(base + '.log') as fh:
            lines = [line.rstrip() for line in fh if line.strip()]
        reason = lines[-1] if lines else 'empty log'
    except FileNotFoundError:
        reason = 'not run'
    return {'failed': reason}


def ratio(ours: float | None, upstream: float | None) -> float | None:
    if ours is None or upstream in (None, 0):
        return None
    return ours / upstream


def fmt(value, spec: str = '%.1f') -> str:
    return '-' if value is None else spec % value


def claim_errors(res: dict) -> int | None:
    """Claims that got neither 204 nor an expected 409."""
    claims = res.get('claims')
    if not claims:
        return None
    return claims['error'] + claims['conflict_other']


def rows_for(up: dict, ours: dict) -> list[tuple]:
    """(metric, upstream, ours, ratio, target, ok) rows for one N."""
    rows = []
    up_q = {q['query']: q for q in up.get('queries', [])}
    our_q = {q['query']: q for q in ours.get('queries', [])}
    for name in list(up_q) or list(our_q):
        u, o = up_q.get(name, {}), our_q.get(name, {})
        r = ratio(o.get('p50_ms'), u.get('p50_ms'))
        target = ok = None
        if name.startswith('AC'):
            target = '<= %.2f' % AC_P50_RATIO_MAX
            ok = r is not None and r <= AC_P50_RATIO_MAX
        rows.append(('%s p50 ms' % name, u.get('p50_ms'), o.get('p50_ms'),
                     r, target, ok))
        if u.get('results') != o.get('results') and u and o:
            rows.append(('  (results: upstream %s, ours %s)' % (
                u.get('results'), o.get('results')),
                None, None, None, 'same', False))
    uc, oc = up.get('claims', {}), ours.get('claims', {})
    r = ratio(oc.get('claims_per_s'), uc.get('claims_per_s'))
    rows.append(('claims/s', uc.get('claims_per_s'), oc.get('claims_per_s'),
                 r, '>= %.1f' % CLAIMS_RATIO_MIN,
                 r is not None and r >= CLAIMS_RATIO_MIN))
    rows.append(('claim PUT p50 ms', uc.get('put_p50_ms'),
                 oc.get('put_p50_ms'),
                 ratio(oc.get('put_p50_ms'), uc.get('put_p50_ms')), None,
                 None))
    for key in ('conflict_generation', 'conflict_capacity'):
        rows.append(('claims 409 %s' % key.split('_')[1], uc.get(key),
                     oc.get(key), None, None, None))
    ue, oe = claim_errors(up), claim_errors(ours)
    rows.append(('claim errors', ue, oe, None, '0', oe == 0))
    us, osd = up.get('seed', {}), ours.get('seed', {})
    rows.append(('seed total s', us.get('total'), osd.get('total'),
                 ratio(osd.get('total'), us.get('total')), None, None))
    return rows


def print_table(n: int, db: str, up: dict, ours: dict) -> bool:
    """Print one N's table; True when every target is met."""
    print('\n== %s N=%d  (microversion: upstream %s, ours %s)' % (
        db, n, up.get('max_microversion', '-'),
        ours.get('max_microversion', '-')))
    good = True
    for side, res in (('upstream', up), ('ours', ours)):
        if 'failed' in res:
            print('  %s run FAILED: %s' % (side, res['failed']))
            good = False
    print('%-34s %10s %10s %8s %9s  %s' % ('metric', 'upstream', 'ours',
                                          'ratio', 'target', ''))
    for metric, u, o, r, target, ok in rows_for(up, ours):
        sample = u if u is not None else o
        spec = '%d' if isinstance(sample, int) else '%.1f'
        verdict = '' if target is None else ('ok' if ok else 'MISSED')
        if target is not None and not ok:
            good = False
        print('%-34s %10s %10s %8s %9s  %s' % (
            metric, fmt(u, spec), fmt(o, spec), fmt(r, '%.3f'),
            target or '', verdict))
    return good


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument('--dir', default='.state/bench')
    ap.add_argument('--db', default='sqlite')
    ap.add_argument('--ns', type=int, nargs='+', default=[1000, 5000])
    args = ap.parse_args()
    good = True
    for n in args.ns:
        up = load(args.dir, 'upstream', args.db, n)
        ours = load(args.dir, 'ours', args.db, n)
        good = print_table(n, args.db, up, ours) and good
    print('\nratio = ours / upstream; targets: allocation candidates p50 '
          '<= %.2f, claims/s >= %.1f, zero claim errors' % (
              AC_P50_RATIO_MAX, CLAIMS_RATIO_MIN))
    return 0 if good else 1


if __name__ == '__main__':
    sys.exit(main())
