"""Web-process PSS of pages shown in WebKitGTK's MiniBrowser (scripts/bench-page).

Each run launches every page once, in turn; a page's figure is the median over runs of its web
process's PSS, read 4.5 s after the launch, in total and per mapping (file name, [anon],
[heap]). The second page (the UI) is compared with the first (the yardstick), and every
further page (a changed copy of the UI) with the second.
"""
import os, re, signal, statistics, subprocess, sys, tempfile, time
from collections import Counter

SETTLE_S = 4.5


def children(pid):
    out = subprocess.run(['pgrep', '-P', str(pid)], capture_output=True, text=True).stdout.split()
    return [int(c) for c in out]


def descendants(pid):
    found = []
    for child in children(pid):
        found += [child] + descendants(child)
    return found


def pss_per_mapping(pid):
    per, name = Counter(), '[anon]'
    with open(f'/proc/{pid}/smaps') as smaps:
        for line in smaps:
            if re.match(r'^[0-9a-f]+-[0-9a-f]+ ', line):
                fields = line.split()
                name = fields[5].rsplit('/', 1)[-1] if len(fields) > 5 else '[anon]'
            elif line.startswith('Pss:'):
                per[name] += int(line.split()[1])
    return per


def launch(browser, url, home):
    """MiniBrowser showing `url` in the app's window size and the WebKit environment MFA Desk
    gives itself, its folders under `home` (fresh for each launch, so that no cache of an
    earlier one is read)."""
    env = dict(os.environ, WEBKIT_DISABLE_DMABUF_RENDERER='1', JSC_useJIT='0', NO_AT_BRIDGE='1')
    for part in ('XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME'):
        env[part] = f'{home}/{part}'
    return subprocess.Popen([browser, '--geometry=1040x760', url], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def measure(browser, url):
    with tempfile.TemporaryDirectory(prefix='bench-page-') as home:
        shell = launch(browser, url, home)
        time.sleep(SETTLE_S)
        web = [p for p in descendants(shell.pid)
               if open(f'/proc/{p}/comm').read().startswith('WebKitWebProces')]
        per = pss_per_mapping(web[0]) if web else None
        shell.send_signal(signal.SIGTERM)
        shell.wait()
        while any(os.path.exists(f'/proc/{p}') for p in web):  # gone before the next launch
            time.sleep(0.1)
    if per is None:
        sys.exit(f'{url}: no web process')
    return per


def main():
    browser, base, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    labels = sys.argv[4:]
    seen = {label: [] for label in labels}
    for _ in range(runs):
        for label in labels:
            seen[label].append(measure(browser, f'{base}/{label}/index.html'))
    medians = {}
    for label, samples in seen.items():
        names = set().union(*samples)
        medians[label] = {n: statistics.median(s.get(n, 0) for s in samples) for n in names}
        totals = sorted(sum(s.values()) / 1024 for s in samples)
        print(f'{label:32s} web process PSS {statistics.median(totals):7.1f} MiB'
              f'  (each run: {" ".join(f"{t:.1f}" for t in totals)})')
    # The UI against the yardstick, and each changed copy against the UI.
    for label, first in [(labels[1], labels[0])] + [(label, labels[1]) for label in labels[2:]]:
        a, b = medians[label], medians[first]
        print(f'\n{label} against {first}: '
              f'{(sum(a.values()) - sum(b.values())) / 1024:+.2f} MiB, per mapping (medians):')
        for name in sorted(set(a) | set(b), key=lambda n: -abs(a.get(n, 0) - b.get(n, 0)))[:10]:
            diff = (a.get(name, 0) - b.get(name, 0)) / 1024
            if abs(diff) >= 0.05:
                print(f'    {name:44s} {a.get(name, 0) / 1024:6.1f} {b.get(name, 0) / 1024:6.1f} {diff:+6.2f} MiB')


if __name__ == '__main__':
    main()
