"""The commands that write the author's files rather than a site: ``export`` (the scored market as JSON),
``schema`` (JSON Schemas for editor autocomplete), ``docs`` (the field reference of docs/content.md) and ``new``
(a starter project). Each writes its files whole or not at all (:mod:`generator.write_file`); heavy modules are
imported when the command runs, not at start-up."""
from __future__ import annotations

import os
import sys
from pathlib import Path

from .diagnostics import EXIT_CONTENT, EXIT_OK, EXIT_USAGE, ContentError, Diagnostics, UsageError
from .report import TerminalReporter


def cmd_export(args, reporter: TerminalReporter) -> int:
    from .write_file import check_file_output, write_file_atomic  # not at start-up: check never writes
    from .build import check
    from .export import export_json

    target = None
    if args.output:
        try:
            target = check_file_output(args.output, content_dir=args.content, option="the export file")
        except UsageError as exc:
            reporter.problem(str(exc))
            return EXIT_USAGE
    diagnostics = Diagnostics()
    try:
        checked = check(args.content, diagnostics)
    except ContentError:
        reporter.diagnostics(diagnostics.sorted())
        return EXIT_CONTENT
    data = export_json(checked)
    if target is not None:
        write_file_atomic(target, data)
    else:
        stream = getattr(sys.stdout, "buffer", None)
        if stream is not None:
            stream.write(data)
        else:  # a text-only stdout (captured output, some IDE consoles)
            sys.stdout.write(data.decode("utf-8"))
        sys.stdout.flush()
    return EXIT_OK


def cmd_schema(args, reporter: TerminalReporter) -> int:
    """Per-site schemas into ``CONTENT/.schema/`` — the one folder inside the content folder valuemap writes —
    or into ``--out`` elsewhere (guarded like every output file). Falls back to the generic schemas, and says
    so, when site.yaml is broken."""
    from .write_file import check_file_output, write_file_atomic  # not at start-up: check never writes
    from .schema import file_name, is_own_folder, own_folder, schema_files, KINDS

    out = args.out if args.out is not None else own_folder(args.content)
    try:
        if is_own_folder(out, args.content):
            targets = _own_schema_targets(args.content, [file_name(kind) for kind in KINDS])
        else:
            if out.exists() and not out.is_dir():
                raise UsageError(f"'{out}' exists and is not a folder (schema --out takes a folder)")
            targets = {name: check_file_output(out / name, content_dir=args.content, create_folders=True,
                                               option="the schema file")
                       for name in (file_name(kind) for kind in KINDS)}
    except UsageError as exc:
        reporter.problem(str(exc))
        return EXIT_USAGE
    files, generic = schema_files(args.content)
    for name, text in files.items():
        targets[name].parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(targets[name], text)
    if generic:
        reporter.message(f"note: {generic}; wrote the generic schemas, which know no ids of this site — "
                         "fix site.yaml and run 'valuemap schema' again")
    reporter.message(f"✓ wrote {len(files)} schemas to {out}/"
                     + ("" if generic else " (they know this site's ids; run again after changing them)"))
    return EXIT_OK


def _own_schema_targets(content: Path, names: list[str]) -> dict[str, Path]:
    """The schema files in ``CONTENT/.schema/``: allowed although inside the content folder, but only there,
    only as real files in a real folder (a link could lead anywhere), and only below an existing content
    folder; the other protections of :func:`check_file_output` still apply."""
    from .write_file import check_file_output
    from .schema import own_folder

    if not content.is_dir():
        raise UsageError(f"there is no content folder '{content}' (pass --content DIR, or --out DIR)")
    folder = own_folder(content)
    if os.path.islink(folder) or (os.path.lexists(folder) and not folder.is_dir()):
        raise UsageError(f"'{folder}' is not a folder (a link or a file); remove it so valuemap can write "
                         "the schemas there")
    targets = {}
    for name in names:
        target = folder / name
        if os.path.islink(target) or (os.path.lexists(target) and not target.is_file()):
            raise UsageError(f"refusing to write the schema file '{target}': it is not a regular file")
        targets[name] = check_file_output(target, create_folders=True, option="the schema file")
    return targets


def cmd_docs(args, reporter: TerminalReporter) -> int:
    from .write_file import check_file_output, write_file_atomic  # not at start-up: check never writes
    from .docs import update

    try:
        target = check_file_output(args.file, content_dir=Path("content"), option="the docs file")
    except UsageError as exc:
        reporter.problem(str(exc))
        return EXIT_USAGE
    try:
        text = target.read_text(encoding="utf-8")
        new = update(text)
    except (OSError, ValueError) as exc:
        reporter.problem(f"cannot update {args.file}: {exc} (it needs the fields:begin/fields:end markers)")
        return EXIT_USAGE
    if new != text:
        write_file_atomic(target, new)
    reporter.message(f"✓ {args.file} is up to date with the model")
    return EXIT_OK


def _shell_word(path) -> str:
    """``path`` as one word a shell reads back unchanged (quoted if need be; ``./-x``, not an option)."""
    import shlex

    text = str(path)
    return shlex.quote("./" + text if text.startswith("-") else text)


def cmd_new(args, reporter: TerminalReporter) -> int:
    from .scaffold import ScaffoldError, create

    try:
        files = create(args.dir)
    except (ScaffoldError, OSError) as exc:
        reporter.problem(f"cannot create a project in {args.dir}: {exc}")
        return EXIT_USAGE
    reporter.message(f"✓ wrote {len(files)} files to {Path(args.dir) / 'content'}/ — next: cd {_shell_word(args.dir)} "
                     "&& valuemap build")
    return EXIT_OK
