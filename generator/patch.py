"""``serve``'s rebuild after an edit: the changed files moved into its private folder, the others left in place.

A full build swaps a whole new folder in (:class:`generator.write.SiteWriter`): right for ``build``, whose
folder a host or a colleague may be reading, and for serve's first build. After an edit, serve's incremental
build (:mod:`generator.incremental`) re-renders a handful of pages and reuses the rest; building a new folder
for that meant hard-linking ~2,000 unchanged files and removing the old folder's ~2,000 entries on every
rebuild of a 1,000-company market (~0.1 s of a 0.3 s rebuild).

:class:`PatchWriter` collects the new files in a temporary folder exactly as :class:`SiteWriter` does (render
workers write into it; a failed build throws it away and leaves the served folder as it was), then
:meth:`PatchWriter.commit` renames each new file over its old one (``os.replace``: a request reads the old
page or the new one, never a part), removes the files the new plan no longer has, and writes the manifest. The
folder then holds the same files and bytes a full build writes (``tests/unit/test_patch.py``). Only serve
uses it, and only for its own private folder (``mkdtemp``, mode 0700), which nothing else writes to; the live
reload tells the browser once the commit is done.
"""
from __future__ import annotations

import os
import shutil
from typing import Mapping

from .site_folder import MARKER, manifest_entry, manifest_text
from .write import SiteWriter, _signals_deferred


class PatchWriter(SiteWriter):
    """A :class:`SiteWriter` whose commit updates the folder it replaces in place.

    ``previous``: every file the last build wrote into ``out`` and its size (:attr:`SiteWriter.sizes` of that
    build); the folder must still be as that build left it."""

    def __init__(self, out, previous: Mapping[str, int], **kwargs):
        super().__init__(out, **kwargs)
        self.previous = dict(previous)
        self.kept: set[str] = set()  # files left where they are (reused pages, unchanged assets)
        self.published: set[str] = set()  # files moved in before the commit (:meth:`publish`)
        self.changed: set[str] = set()  # after the commit: the files it replaced, added or removed (a page a
        # render worker wrote counts even when its bytes are the old ones: at worst a tab reloads to the same page)
        self._pid = os.getpid()  # a render worker (forked) writes every page it makes: it cannot keep one here

    def link(self, rel_path: str, source) -> None:
        """A page whose previous file is reused: it stays where it is."""
        if rel_path in self.previous:  # written by the last build: its name was checked then
            self._keep(rel_path, self.previous[rel_path])
            return
        _, rel = self._inside(rel_path)
        self._keep(rel, os.stat(f"{self.out}/{rel}").st_size)

    def write(self, rel_path: str, data: bytes | str) -> None:
        """A file written: left in place when its bytes are those already there (the assets' names carry their
        digest: nearly always) — in the process that commits; a render worker writes it, and the parent
        records it (:meth:`record`), as for a full build."""
        _, rel = self._inside(rel_path)
        if isinstance(data, str):
            data = data.encode("utf-8")
        if self.previous.get(rel) == len(data) and os.getpid() == self._pid:
            try:
                with open(f"{self.out}/{rel}", "rb") as fh:
                    same = fh.read() == data
            except OSError:
                same = False
            if same:
                self._keep(rel, len(data))
                return
        super().write(rel_path, data)

    def _keep(self, rel: str, size: int) -> None:
        self.kept.add(rel)
        self.written.append(rel)
        self.sizes[rel] = size
        self.files += 1
        self.bytes += size

    def publish(self, paths) -> set[str]:
        """Move these written pages in now, before the rest of the build (serve shows the pages open in a
        browser first, :mod:`generator.serve`); returns those whose bytes changed. Once anything is published
        the folder is no longer the last build's: if this build then fails, the next must write every file."""
        out, tmp = str(self.out), str(self.tmp)
        moved = set()
        with _signals_deferred():
            for rel in sorted(set(paths) & set(self.written) - self.kept - self.published):
                self._move_in(out, tmp, rel, set())
                self.published.add(rel)
                moved.add(rel)
        return moved

    def _move_in(self, out: str, tmp: str, rel: str, made: set[str]) -> None:
        folder = rel.rpartition("/")[0]
        if folder and folder not in made:
            os.makedirs(f"{out}/{folder}", exist_ok=True)
            made.add(folder)
        os.replace(f"{tmp}/{rel}", f"{out}/{rel}")

    def commit(self) -> None:
        """The new files renamed over the old ones, the files no longer written removed, the manifest last.
        :attr:`changed` then names the files it moved in or removed (those published early not among them)."""
        out, tmp = str(self.out), str(self.tmp)
        written = set(self.written)
        with _signals_deferred():
            made: set[str] = set()
            for rel in self.written:
                if rel in self.kept or rel in self.published:
                    continue
                self._move_in(out, tmp, rel, made)
                self.changed.add(rel)
            for rel in sorted(set(self.previous) - written):
                try:
                    os.unlink(f"{out}/{rel}")
                except FileNotFoundError:
                    pass
                self.changed.add(rel)
                self._remove_empty(rel.rpartition("/")[0])
            marker = f"{tmp}/{MARKER}"
            with open(marker, "w", encoding="utf-8") as fh:
                fh.write(manifest_text(manifest_entry(f, self.hidden) for f in self.written))
            os.replace(marker, f"{out}/{MARKER}")
            self.committed = True
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _remove_empty(self, folder: str) -> None:
        """A folder left empty by a removed page goes too (a full build would not have it)."""
        while folder:
            try:
                os.rmdir(f"{self.out}/{folder}")
            except OSError:  # not empty (or gone): stop
                return
            folder = folder.rpartition("/")[0]
