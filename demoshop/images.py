"""Small, valid product JPEGs: drawn with Pillow when it is installed, else one constant image."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

# a valid 16x16 baseline JFIF image (543 bytes), used when Pillow is not installed
FALLBACK_JPEG = base64.b64decode(
    "/9j/4AAQSkZJRgABAQEAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQEBAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD/2wBDAQMDAwQDBAgEBAgQCwkLEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBD/wAARCAAQABADASIAAhEBAxEB/8QAFgABAQEAAAAAAAAAAAAAAAAABwQF/8QAJBAAAQQBBAICAwAAAAAAAAAAAQIDBAYFBwgSExEiABQJMTL/xAAVAQEBAAAAAAAAAAAAAAAAAAAABv/EACMRAAECBQMFAAAAAAAAAAAAAAECEQMEBQYhABIxFRZhgeH/2gAMAwEAAhEDEQA/ABSm0mobc8HmExLUlRzzEWPkJWW+ulrsaUVAseUgslSlH9LKuPryIKuWPZdskzXmm3fX5m2nF4GlVxx/HOpx4ks51+MiU/Iaad7UcUo4tILoS4kqcWkezS0hO/HvuRp0rO6hWnWO1UisZVuFi4GFeyEpmGepa5S5SWVPuciFKRFLgSrwetnyPIB+Vb4N9mKhQMzo5po9XLdDs9d6ZVix2VEhiL9kuNPxw2gEKcDQ/rs8AuA8VAe0vdl7VOYn+27flGAUgmITjbhSmCg3BYlyeWDkMolvw4KOp1KM6iCNvngZHwetf//Z"
)


def product_jpeg(slug: str) -> bytes:
    """JPEG bytes for a product: a 320x320 colour swatch (Pillow) or the constant fallback."""
    try:
        from PIL import Image, ImageDraw
    except ImportError:
        return FALLBACK_JPEG
    import io

    colour = tuple(hashlib.sha256(slug.encode()).digest()[:3])
    image = Image.new("RGB", (320, 320), colour)
    ImageDraw.Draw(image).ellipse((60, 60, 260, 260), outline=(212, 175, 55), width=12)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def write_product_images(directory: Path, slugs: list[str]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for slug in slugs:
        (directory / f"{slug}.jpg").write_bytes(product_jpeg(slug))
