"""The demo: the 2019-2021 Turkey reference case, loaded through the real commands."""
