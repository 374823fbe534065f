"""The photo benchmark in smoke form: one tiny upload measured in its own process. No timing
assertions: only that the measurement runs and reports what was stored."""

from __future__ import annotations

from bench import photos


def test_measure_stores_a_tiny_photo_in_a_fresh_process() -> None:
    data = photos.photo_like_jpeg((64, 48), exif=photos.phone_exif())

    result = photos.measure([data])

    assert result.photos == 1
    assert result.upload_bytes == len(data)
    assert result.stored == ((48, 64),)  # turned upright (EXIF orientation 6)
    assert result.stored_bytes > 0  # the picture and its thumbnail
    assert result.cpu_s >= 0 and result.peak_mb >= 0 and result.wall_s >= 0
    assert "| tiny |" in photos.table({"tiny": result})
