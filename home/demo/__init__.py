"""The demo site: ``manage.py load_demo_content`` (loader.py, sync.py), its text (content.py and
the modules it gathers) and the scaled copies for benchmarks (scale.py).

Tooling on top of every layer: it may import the page models of home and blog and
the shop's models. Nothing in the site imports it.
"""
