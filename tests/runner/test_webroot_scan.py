"""The web-root scan: what it finds by name, by magic bytes and by where it sits; its bounds."""

from __future__ import annotations

import gzip
import io
import os
import zipfile

from runner.clients import webroot


def _write(root, relative, data=b"x"):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return path


def _found(root, **limits) -> dict[str, str]:
    return {found.relative: found.what for found in webroot.scan(root, **limits).candidates}


def test_dumps_and_archives_are_found_by_magic_bytes_whatever_their_name(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.txt", "a")
    _write(tmp_path, "export-tuesday.dat", gzip.compress(b"-- MySQL dump 10.13\nCREATE TABLE t (id int);\n"))
    _write(tmp_path, "site.data", zipped.getvalue())
    _write(tmp_path, "notes.txt", "INSERT INTO orders VALUES (1);\n")
    _write(tmp_path, "static/site.css.gz", gzip.compress(b"body{}"))  # a precompressed asset is not a dump
    assert _found(tmp_path) == {
        "export-tuesday.dat": "gzip-compressed SQL dump",
        "site.data": "zip archive",
        "notes.txt": "SQL dump",
    }


def test_config_copies_vcs_folders_and_phpinfo_are_found(tmp_path):
    for name in (".env", "config.php.bak", "config.php~", "wp-config.php.orig", ".config.php.swp", "prod.env"):
        _write(tmp_path, name)
    _write(tmp_path, ".git/HEAD", "ref: refs/heads/main\n")
    _write(tmp_path, "tools/check.php", "<?php phpinfo(); ?>")
    found = _found(tmp_path)
    assert found.pop(".git/HEAD") == "Git repository" and found.pop("tools/check.php") == "phpinfo page"
    assert set(found.values()) == {"environment or config copy"} and len(found) == 6


def test_code_among_static_assets_is_found_whatever_the_folder_is_called(tmp_path):
    _write(tmp_path, "index.php", "<?php")
    _write(tmp_path, "includes/db.php", "<?php")
    _write(tmp_path, "media/2026/photo.jpg")
    _write(tmp_path, "media/2026/logo.svg")
    _write(tmp_path, "media/2026/thumb.phtml", "<?php system($_GET['c']);")
    _write(tmp_path, "files/.htaccess", "php_flag engine off")
    _write(tmp_path, "files/shell.php", "<?php")
    _write(tmp_path, "files/img/a.png")
    assert _found(tmp_path) == {"media/2026/thumb.phtml": webroot.PLANTED_CODE, "files/shell.php": webroot.PLANTED_CODE}


def test_links_out_of_the_root_are_not_followed_and_the_walk_is_bounded(tmp_path):
    root, outside = tmp_path / "www", tmp_path / "outside"
    _write(outside, "secret.sql", "CREATE TABLE t (id int);")
    _write(root, "a/b/c/deep.sql", "CREATE TABLE t (id int);")
    root.mkdir(exist_ok=True)
    os.symlink(outside / "secret.sql", root / "linked.sql")
    os.symlink(outside, root / "linked-folder")
    assert _found(root) == {"a/b/c/deep.sql": "SQL dump"}
    assert _found(root, max_depth=2) == {}
    for index in range(5):
        _write(root, f"many/{index}.txt")
    assert webroot.scan(root, max_files=3).cut_short == "stopped after 3 files"
