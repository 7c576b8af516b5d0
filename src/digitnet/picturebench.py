"""How well ``digitnet predict`` reads real pictures: a table per source and kind.

MNIST's test digits say how well the network reads digits prepared as MNIST
prepared them; they say nothing about photos and drawings that people make.
This measures that, on any folder of labelled pictures with a ``MANIFEST.tsv``
(tab-separated, a header line, at least the columns ``path`` and ``label``;
``source_repository`` and ``kind`` are used to group the table if present)::

    python -m digitnet.picturebench ../shared/data/real-digits --misses
    make pictures          # the same, with --mnist, into _build/bench/pictures.md

Each picture is read by :func:`digitnet.reading.read_digit`, and counts as
*right* only when the answer is the labelled digit: "not sure" and "no digit"
count as not right. With ``--mnist``, the MNIST test digits are also fed
through the same preparation (each 28x28 digit as a picture) and compared
with feeding them to the network directly.
"""

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

MANIFEST = "MANIFEST.tsv"


def read_manifest(folder):
    """The rows of ``folder/MANIFEST.tsv`` as dictionaries, checked.

    Parameters
    ----------
    folder : str or os.PathLike

    Returns
    -------
    list of dict
        One per picture, with at least ``path`` and ``label`` (an int).

    Raises
    ------
    FileNotFoundError
        If the folder has no manifest.
    ValueError
        If a row lacks a path or has a label that is not a digit 0-9.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> from digitnet.picturebench import read_manifest
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "MANIFEST.tsv").write_text("path\\tlabel\\tkind\\na.png\\t7\\tphoto\\n")
    >>> read_manifest(folder)
    [{'path': 'a.png', 'label': 7, 'kind': 'photo'}]
    """
    path = Path(folder) / MANIFEST
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"{folder} is not a folder: give the folder of labelled pictures")
    if not path.is_file():
        raise FileNotFoundError(
            f"{path} not found: the folder needs a tab-separated {MANIFEST} with the "
            "columns path and label"
        )
    with open(path, encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file, delimiter="\t"))
    for number, row in enumerate(rows, start=2):
        label = (row.get("label") or "").strip()
        if not row.get("path") or label not in tuple("0123456789"):
            raise ValueError(f"{path}, line {number}: needs a path and a label 0-9, got {row}")
        row["label"] = int(label)
    return rows


def score_pictures(folder, network=None):
    """Read every picture of a labelled folder; one record per picture.

    Parameters
    ----------
    folder : str or os.PathLike
        A folder with a ``MANIFEST.tsv`` (see :func:`read_manifest`).
    network : Network, optional
        Default :func:`digitnet.pretrained`.

    Returns
    -------
    list of dict
        The manifest's columns, plus ``status`` ("digit", "not sure",
        "no digit" or "error"), ``answer`` (int or None), ``best``,
        ``confidence``, ``right`` (bool) and ``error`` (the message, or None).
    """
    import warnings

    from .pretrained import pretrained
    from .reading import read_digit

    network = pretrained() if network is None else network
    records = []
    for row in read_manifest(folder):
        record = dict(row, error=None, answer=None, best=None, confidence=None)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a note on a big picture is not a failure
                reading = read_digit(Path(folder) / row["path"], network)
        except (OSError, ValueError) as error:
            record.update(status="error", error=str(error), right=False)
        else:
            record.update(
                status=reading.status, answer=reading.digit, best=reading.best,
                confidence=reading.confidence, right=reading.digit == row["label"],
            )
        records.append(record)
    return records


def summary(records):
    """Counts per (source, kind) group and overall: pictures, right, not sure, no digit, wrong.

    Parameters
    ----------
    records : list of dict
        As :func:`score_pictures` returns them.

    Returns
    -------
    dict
        ``{(source, kind): {"pictures", "right", "not sure", "no digit", "wrong", "error"}}``
        with the groups ``("all", kind)`` per kind and ``("all", "all")``.

    Examples
    --------
    >>> from digitnet.picturebench import summary
    >>> records = [
    ...     {"source_repository": "a", "kind": "photo", "status": "digit", "right": True},
    ...     {"source_repository": "a", "kind": "photo", "status": "digit", "right": False},
    ...     {"source_repository": "b", "kind": "drawn", "status": "no digit", "right": False},
    ... ]
    >>> table = summary(records)
    >>> table[("all", "photo")]["right"], table[("all", "all")]["pictures"]
    (1, 3)
    """
    counts = defaultdict(lambda: dict.fromkeys(
        ("pictures", "right", "not sure", "no digit", "wrong", "error"), 0))
    for record in records:
        source = record.get("source_repository") or Path(record.get("path", "?")).parent.name or "-"
        kind = record.get("kind") or "-"
        if record["right"]:
            outcome = "right"
        elif record["status"] == "digit":
            outcome = "wrong"
        else:
            outcome = record["status"]
        for group in ((source, kind), ("all", kind), ("all", "all")):
            counts[group]["pictures"] += 1
            counts[group][outcome] += 1
    return dict(counts)


def table(counts):
    """`counts` (of :func:`summary`) as a Markdown table, the groups first, then the totals.

    Examples
    --------
    >>> from digitnet.picturebench import table
    >>> counts = {("all", "all"): {"pictures": 4, "right": 3, "not sure": 0,
    ...           "no digit": 1, "wrong": 0, "error": 0}}
    >>> print(table(counts))
    | source | kind | pictures | right | not sure | no digit | wrong | error | accuracy |
    |---|---|---|---|---|---|---|---|---|
    | all | all | 4 | 3 | 0 | 1 | 0 | 0 | 75.0% |
    """
    columns = ("pictures", "right", "not sure", "no digit", "wrong", "error")
    lines = [
        "| source | kind | " + " | ".join(columns) + " | accuracy |",
        "|---" * (len(columns) + 3) + "|",
    ]
    groups = sorted(counts, key=lambda group: (group[0] == "all", group[1] == "all", group))
    for source, kind in groups:
        row = counts[(source, kind)]
        accuracy = row["right"] / row["pictures"] if row["pictures"] else 0.0
        lines.append(
            f"| {source} | {kind} | " + " | ".join(str(row[c]) for c in columns)
            + f" | {accuracy:.1%} |"
        )
    return "\n".join(lines)


def mnist_through_preparation(network=None, count=None):
    """Accuracy on MNIST's test digits fed directly, and through ``prepare_digit``.

    Parameters
    ----------
    network : Network, optional
        Default :func:`digitnet.pretrained`.
    count : int, optional
        Only the first `count` test digits (default: all 10,000).

    Returns
    -------
    direct, prepared : float
        The two accuracies, 0.0 to 1.0.
    """
    from .datasets import load_mnist, normalize
    from .images import prepare_digit
    from .pretrained import pretrained

    network = pretrained() if network is None else network
    images, labels = load_mnist("test", download=False)
    images, labels = images[:count], labels[:count]
    direct = network.feedforward(normalize(images)).argmax(axis=1) == labels
    prepared = np.array([prepare_digit(image).reshape(-1) for image in images])
    through = network.feedforward(prepared).argmax(axis=1) == labels
    return float(direct.mean()), float(through.mean())


def main(argv=None):
    """``python -m digitnet.picturebench``: print the table; return the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m digitnet.picturebench",
        description="How well digitnet predict reads a folder of labelled pictures "
                    "(a MANIFEST.tsv with path and label columns).",
    )
    parser.add_argument("folder", help="the folder of pictures and its MANIFEST.tsv")
    parser.add_argument("--weights", help="a weights file (.npz); default: the pretrained network")
    parser.add_argument("--misses", action="store_true", help="also list every picture not read right")
    parser.add_argument("--mnist", action="store_true",
                        help="also feed MNIST's test digits through the same preparation")
    parser.add_argument("--out", help="also write the report to this Markdown file")
    args = parser.parse_args(argv)

    from .datasets import mnist_is_local
    from .network import Network
    from .pretrained import pretrained

    try:
        network = Network.load(args.weights) if args.weights else pretrained()
        records = score_pictures(args.folder, network)
        if args.mnist and not mnist_is_local():
            raise FileNotFoundError(
                "--mnist needs the four MNIST files: run digitnet data, or set "
                "DIGITNET_DATA_DIR to the folder that holds them"
            )
    except (OSError, ValueError) as error:
        print(f"picturebench: error: {error}", file=sys.stderr)
        return 1
    report = [f"Pictures in {args.folder}, read by digitnet predict:", "", table(summary(records))]
    if args.misses:
        report += ["", "Not read right:", ""]
        report += [
            f"- {r['path']}: label {r['label']}, "
            + (r["error"] if r["status"] == "error" else
               f"{r['status']}, best guess {r['best']} at {r['confidence']:.2f}")
            for r in records if not r["right"]
        ]
    if args.mnist:
        direct, prepared = mnist_through_preparation(network)
        report += [
            "", "MNIST's 10,000 test digits:", "",
            f"- fed directly: {direct:.2%}",
            f"- each fed through prepare_digit as a picture: {prepared:.2%} "
            f"({100 * (prepared - direct):+.2f} points)",
        ]
    text = "\n".join(report)
    print(text)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
