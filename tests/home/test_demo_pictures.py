"""The demo's pictures are drawings of a studio (home/demo/art.py), not gradients with labels baked in."""

from PIL import Image, ImageStat

from home.demo import art, content


def test_every_demo_image_is_a_drawn_scene_with_no_label():
    for key, spec in content.IMAGES.items():
        assert spec["scene"] in art.SCENES, key
        assert "label" not in spec and "labelled" not in spec["description"], key


def test_scenes_are_distinct_drawings():
    digests = set()
    for scene in art.SCENES:
        picture = Image.open(art.picture(scene, width=160, height=90, name=f"{scene}.jpg")).convert("RGB")
        colours = picture.getcolors(160 * 90) or []
        assert len(colours) > 200, scene  # shapes and edges, not a flat fill
        assert max(ImageStat.Stat(picture).stddev) > 12, scene
        digests.add(picture.resize((16, 9)).tobytes())
    assert len(digests) == len(art.SCENES)
