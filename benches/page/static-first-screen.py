"""MFA Desk's first screen as a static page, for scripts/bench-startup's floor (issue 24).

    static-first-screen.py MINIBROWSER UI_DIR OUT_DIR

Serves a copy of UI_DIR over loopback HTTP to WebKitGTK's MiniBrowser with Tauri's bridge
stubbed (bridge-stub.js: demo mode, English), takes the page's DOM as it is when the first
screen is shown, and writes OUT_DIR: that DOM without a script, with the UI's styles and fonts.
The bare Tauri window showing it costs what the first screen's markup and styles cost, without
any of the app's behaviour; the benchmark measures MFA Desk against it.

What the app adds after its first frame is left out, as the first frame has it: the language
picker holds only the language shown (its other names join it after the frame, header.js).
"""
import http.server
import pathlib
import shutil
import sys
import tempfile
import threading

from measure import launch  # the same MiniBrowser, window and WebKit environment

HERE = pathlib.Path(__file__).resolve().parent
WAIT_S = 30

# Runs when the UI tells Tauri its first screen is shown: posts the page's DOM, less what the
# static copy must not carry (scripts, module preloads) and what the first frame lacks.
CAPTURE = """
const invoke = window.__TAURI_INTERNALS__.invoke;
window.__TAURI_INTERNALS__.invoke = (command, ...rest) => {
  if (command === 'first_screen_shown') {
    const page = document.documentElement.cloneNode(true);
    page.querySelectorAll('script, link[rel="modulepreload"]').forEach((node) => node.remove());
    const picker = page.querySelector('#lang-select');
    picker.classList.remove('all-languages');
    picker.querySelectorAll('option').forEach((option) => {
      if (option.value !== document.documentElement.lang) option.remove();
    });
    fetch('/first-screen', { method: 'POST', body: '<!doctype html>\\n' + page.outerHTML });
  }
  return invoke(command, ...rest);
};
"""


def main():
    browser, ui, out = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    captured = {}
    done = threading.Event()
    with tempfile.TemporaryDirectory(prefix='static-first-screen-') as tmp:
        site = pathlib.Path(tmp) / 'site'
        shutil.copytree(ui, site)
        shutil.copy(HERE / 'bridge-stub.js', site)
        (site / 'capture.js').write_text(CAPTURE)
        index = site / 'index.html'
        page = index.read_text()
        if '<head>' not in page:
            sys.exit(f'{ui}/index.html has no <head>')
        index.write_text(page.replace(
            '<head>', '<head><script src="bridge-stub.js"></script><script src="capture.js"></script>', 1))

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, directory=str(site), **kwargs)

            def do_POST(self):
                captured['page'] = self.rfile.read(int(self.headers['Content-Length'])).decode()
                self.send_response(204)
                self.end_headers()
                done.set()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        shell = launch(browser, f'http://127.0.0.1:{server.server_port}/index.html', tmp)
        try:
            if not done.wait(WAIT_S):
                sys.exit(f'the first screen was not shown within {WAIT_S} s')
        finally:
            shell.terminate()
            shell.wait()
            server.shutdown()

    page = captured['page']
    # The copy must be what the first frame shows, and nothing of the app's behaviour.
    for needle in ('id="signin-user"', 'id="lang-select"'):
        if needle not in page:
            sys.exit(f'the captured page holds no {needle}')
    if '<script' in page:
        sys.exit('the captured page still holds a script')
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / 'index.html').write_text(page)
    shutil.copy(ui / 'styles.css', out)
    shutil.copytree(ui / 'fonts', out / 'fonts')
    print(f'{out}/index.html: {len(page.encode())} bytes, the first screen without a script')


if __name__ == '__main__':
    main()
