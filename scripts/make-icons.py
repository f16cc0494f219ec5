"""Draws the MFA Desk app icon (a shield with a six-digit code bar) at every size the
installers need. Run once after changing the design: python3 scripts/make-icons.py"""
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "src-tauri" / "icons"
BASE = 1024


def draw(size=BASE):
    img = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    s = size / BASE
    # Background: a rounded square in a deep blue.
    d.rounded_rectangle([40 * s, 40 * s, 984 * s, 984 * s], radius=200 * s, fill=(28, 63, 140, 255))
    # Shield.
    shield = [(512, 170), (800, 270), (780, 560), (512, 860), (244, 560), (224, 270)]
    d.polygon([(x * s, y * s) for x, y in shield], fill=(255, 255, 255, 255))
    # Six code dots in two rows of three: "the code you type".
    for row in range(2):
        for col in range(3):
            cx, cy, r = (392 + col * 120) * s, (420 + row * 130) * s, 42 * s
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(28, 63, 140, 255))
    return img


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    big = draw()
    for name, px in [("32x32.png", 32), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        big.resize((px, px), Image.LANCZOS).save(OUT / name)
    big.save(OUT / "icon.ico", sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    big.save(OUT / "icon.icns")


if __name__ == "__main__":
    main()
