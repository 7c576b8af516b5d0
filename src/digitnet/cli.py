"""The ``digitnet`` command: train, evaluate, predict and describe networks.

Run ``digitnet --help`` (or ``python -m digitnet --help``) for the
subcommands and ``digitnet SUBCOMMAND --help`` for their options.
"""

import argparse
import contextlib
import json
import logging
import os
import platform
import shlex
import sys
import textwrap
import time

import numpy as np

from ._checks import check_sizes

#: Named recipes for ``digitnet train --recipe NAME``; explicit options override them.
RECIPES = {
    "basic": {
        "sizes": [784, 16, 16, 10],
        "epochs": 30,
        "batch_size": 10,
        "eta": 3.0,
        "cost": "quadratic",
        "lmbda": 0.0,
        "momentum": 0.0,
        "schedule": "constant",
        "shift": 0,
        "seed": 0,
        "dtype": "float64",
        "validation": 10_000,
    },
    "pretrained": {
        "sizes": [784, 16, 16, 10],
        "epochs": 200,
        "batch_size": 10,
        "eta": 0.5,
        "cost": "cross-entropy",
        "lmbda": 5.0,
        "momentum": 0.0,
        "schedule": "cosine",
        "shift": 1,
        "seed": 0,
        "dtype": "float32",
        "validation": 10_000,
    },
}
DEFAULT_RECIPE = "basic"
HYPERPARAMETERS = list(RECIPES[DEFAULT_RECIPE])


class CommandError(Exception):
    """A problem to report in one line (no traceback), with exit code 1."""


def _version():
    from . import __version__

    return __version__


def _load_weights(path):
    """The network in `path`, or the packaged pretrained network if `path` is None."""
    from .network import Network
    from .pretrained import pretrained

    if path is None:
        return pretrained()
    if not os.path.exists(path):
        raise CommandError(f"weights file {path} not found")
    if os.path.isdir(path):
        raise CommandError(f"{path} is a folder, not a weights file")
    try:
        return Network.load(path)
    except (ValueError, OSError) as error:
        raise CommandError(f"cannot read weights from {path}: {error}") from None


@contextlib.contextmanager
def _download_log(command):
    """Show the log of :mod:`digitnet.datasets` on stderr, a line each: ``digitnet data: ...``.

    The failed attempts of a download (which file, which source, which attempt,
    why) and the successful one, so that a build log tells the whole story, one
    line per attempt: pooch's own "Downloading data from ..." lines are held back.
    """
    import pooch

    logger = logging.getLogger("digitnet.datasets")
    handler = logging.StreamHandler(sys.stderr)  # the stderr of now (tests capture it)
    handler.setFormatter(logging.Formatter(f"digitnet {command}: %(message)s"))
    saved = logger.level, logger.propagate, pooch.get_logger().level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    pooch.get_logger().setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]
        pooch.get_logger().setLevel(saved[2])


def _load_mnist(split, command="train"):
    """The images and labels of MNIST `split`, downloaded if need be (logged on stderr).

    A ``DownloadError`` (no source delivered a file) becomes the ``__cause__`` of
    the ``CommandError``, so that ``digitnet data --or-sample`` can forgive it.
    """
    from .datasets import DATA_DIR_VARIABLE, DownloadError, load_mnist

    try:
        with _download_log(command):
            return load_mnist(split)
    except DownloadError as error:
        raise CommandError(f"cannot load the MNIST {split} set: {error}") from error
    except (OSError, ValueError) as error:
        # The message already speaks of the variable when it is set or a download failed.
        hint = ""
        if not (os.environ.get(DATA_DIR_VARIABLE) or isinstance(error, ConnectionError)):
            hint = (f" (set {DATA_DIR_VARIABLE} to a folder holding the four MNIST files, "
                    "the .gz files or their decompressed contents)")
        raise CommandError(f"cannot load the MNIST {split} set: {error}{hint}") from None


# ---------------------------------------------------------------------------
# train
# ---------------------------------------------------------------------------


def _settings(args):
    """The recipe's hyperparameters, overridden by the options given explicitly."""
    settings = dict(RECIPES[args.recipe or DEFAULT_RECIPE])
    for name in HYPERPARAMETERS:
        value = getattr(args, name)
        if value is not None:
            settings[name] = value
    return settings


def _record_path(weights):
    """The JSON record that ``digitnet train`` writes beside the weights file `weights`."""
    return os.path.splitext(weights)[0] + ".json"


def _record_json(record):
    """`record` as JSON: one entry per line, the history one list per line."""
    lines = [
        f" {json.dumps(name)}: {json.dumps(value)}" for name, value in record.items() if name != "history"
    ]
    history = [f"  {json.dumps(name)}: {json.dumps(values)}" for name, values in record["history"].items()]
    lines.append(' "history": {\n' + ",\n".join(history) + "\n }")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _train(args):
    from .network import Network
    from .training import train

    out = args.out
    if not out.endswith(".npz"):
        raise CommandError(f"--out must name a .npz file (the record goes beside it as .json), got {out}")
    record_path = _record_path(out)
    if not args.force:
        for path in (out, record_path):
            if os.path.exists(path):
                raise CommandError(f"{path} exists; pass --force to overwrite it")
    folder = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(folder):
        raise CommandError(f"the folder {folder} for --out does not exist")

    settings = _settings(args)
    if settings["sizes"][0] != 784 or settings["sizes"][-1] != 10:
        raise CommandError(
            f"--sizes must start with 784 (one input per pixel) and end with 10 (one output "
            f"per digit), got {','.join(map(str, settings['sizes']))}"
        )
    images, labels = _load_mnist("train")
    n_val = settings["validation"]
    if not 0 <= n_val < len(images):
        raise CommandError(f"--validation must lie between 0 and {len(images) - 1}, got {n_val}")
    n_train = len(images) - n_val
    validation = (images[n_train:], labels[n_train:]) if n_val else None
    if args.limit is not None:
        n_train = min(n_train, args.limit)
    train_images, train_labels = images[:n_train], labels[:n_train]

    dtype = np.dtype(settings["dtype"])
    network = Network(settings["sizes"], seed=settings["seed"], dtype=dtype)
    print(
        f"training {network} on {n_train:,} MNIST training images"
        + (f", validating on the last {n_val:,}" if n_val else "")
    )
    start = time.perf_counter()
    history = train(
        network,
        train_images,
        train_labels,
        epochs=settings["epochs"],
        batch_size=settings["batch_size"],
        eta=settings["eta"],
        cost=settings["cost"],
        lmbda=settings["lmbda"],
        momentum=settings["momentum"],
        schedule=settings["schedule"],
        shift=settings["shift"],
        seed=settings["seed"],
        validation=validation,
        progress=not args.quiet,
    )
    seconds = time.perf_counter() - start
    network.save(out, overwrite=args.force)

    record = {
        "command": shlex.join(["digitnet", *args.argv]),
        "recipe": args.recipe,
        **settings,
        "training_images": f"MNIST training images 0 to {n_train - 1}",
        "validation_images": (
            f"MNIST training images {len(images) - n_val} to {len(images) - 1}" if n_val else None
        ),
        "validation_accuracy": history.validation_accuracy[-1] if n_val and history.epoch else None,
        "training_seconds": round(seconds, 1),
        "digitnet_version": _version(),
        "numpy_version": np.__version__,
        "python_version": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}",
        "thread_settings": {
            name: os.environ[name]
            for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
            if name in os.environ
        },
        "history": history.as_dict(),
    }
    with open(record_path, "w", encoding="utf-8") as file:
        file.write(_record_json(record))
    summary = f"wrote {out} and {record_path} ({seconds:.0f} s"
    if record["validation_accuracy"] is not None:
        summary += f", validation accuracy {record['validation_accuracy']:.2%}"
    print(summary + ")")
    return 0


# ---------------------------------------------------------------------------
# evaluate, predict, info
# ---------------------------------------------------------------------------


def _evaluate(args):
    from .training import confusion_matrix

    network = _load_weights(args.weights)
    images, labels = _load_mnist("test", "evaluate")
    if network.sizes[0] != images.shape[1] * images.shape[2] or network.sizes[-1] != 10:
        raise CommandError(
            f"the network has sizes {network.sizes}; MNIST needs 784 inputs and 10 outputs"
        )
    counts = confusion_matrix(network, images, labels)
    correct, total = np.diag(counts), counts.sum(axis=1)
    name = args.weights or "the pretrained network"
    print(f"{name}: {correct.sum():,} of {total.sum():,} test images right, "
          f"accuracy {correct.sum() / total.sum():.2%}")
    print("digit  images  right  accuracy")
    for digit in range(len(counts)):
        print(f"{digit:>5}  {total[digit]:>6}  {correct[digit]:>5}  {correct[digit] / max(total[digit], 1):>8.2%}")
    return 0


#: The exit code of ``digitnet predict`` when a picture holds no digit, or the
#: network is not sure of it (and no picture failed to be read).
NO_ANSWER = 3

#: From how many pictures on ``digitnet predict`` shows a progress bar.
PROGRESS_FROM = 10


def _picture_files(names):
    """The picture files named by `names`: files as given, folders as their pictures."""
    from PIL import Image

    suffixes = set(Image.registered_extensions()) | {".heic", ".heif", ".avif"}
    files = []
    for name in names:
        if os.path.isdir(name):
            found = sorted(
                entry.path for entry in os.scandir(name)
                if entry.is_file() and not entry.name.startswith(".")
                and os.path.splitext(entry.name)[1].lower() in suffixes
            )
            if not found:
                raise CommandError(
                    f"the folder {name} holds no pictures (files ending .png, .jpg, .gif, ...)"
                )
            files += found
        else:
            files.append(name)
    return files


def _read_one(path, network):
    """``(reading, None, notes)`` or ``(None, error message, notes)`` for one picture file."""
    import warnings

    from .reading import read_digit

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            reading, error = read_digit(path, network), None
        except FileNotFoundError:
            reading, error = None, f"{path} not found"
        except ImportError as missing:  # the images extra
            raise CommandError(str(missing)) from None
        except (OSError, ValueError, TypeError) as problem:
            text = str(problem)
            # The message of read_picture names the file; others get its name added.
            where = "" if path in text else f" {path}"
            reading, error = None, f"cannot read the image{where}: {text}"
    return reading, error, [str(w.message) for w in caught]


def _reading_json(path, reading, error):
    if reading is None:
        return {"path": path, "status": "error", "error": error}
    return {
        "path": path, "status": reading.status, "digit": reading.digit, "best": reading.best,
        "confidence": round(reading.confidence, 6), "reason": reading.reason,
        "message": reading.message, "output": [round(float(a), 6) for a in reading.output],
    }


def _predict(args):
    from tqdm import tqdm

    network = _load_weights(args.weights)
    if network.sizes[0] != 784 or network.sizes[-1] != 10:
        raise CommandError(f"the network has sizes {network.sizes}; pictures need 784 inputs and 10 outputs")
    files = _picture_files(args.images)
    single = len(files) == 1
    bar = tqdm(files, unit="picture", disable=args.quiet or len(files) < PROGRESS_FROM or None,
               file=sys.stderr, leave=False)
    results, codes = [], set()
    for path in bar:
        reading, error, notes = _read_one(path, network)
        for note in notes:
            tqdm.write(f"digitnet predict: note: {note}", file=sys.stderr)
        if error is not None:
            codes.add(1)
            if single and not args.json:
                raise CommandError(error)
            tqdm.write(f"digitnet predict: error: {error}", file=sys.stderr)   # names the file
        elif reading.status != "digit":
            codes.add(NO_ANSWER)
        if args.json:
            results.append(_reading_json(path, reading, error))
        elif reading is not None:
            # One picture: its verdict alone, as "digit: 7 (...)"; several: each named.
            tqdm.write(reading.message if single else f"{path}: {reading.message}", file=sys.stdout)
            if single:
                print("output activations (confidence of each digit):")
                for d, a in enumerate(reading.output):
                    mark = "  <-" if d == reading.best else ""
                    print(f"  {d}  {a:.4f}  {'#' * round(40 * float(a))}{mark}")
    bar.close()
    if args.json:
        print(json.dumps(results, indent=1))
    return 1 if 1 in codes else max(codes, default=0)


def _info(args):
    network = _load_weights(args.weights)
    print(f"{network}: {network.parameter_count():,} parameters")
    print(network.parameter_table())
    if args.weights is None:
        from .pretrained import pretrained_recipe

        record = pretrained_recipe()
    else:
        record_path = _record_path(args.weights)
        record = None
        if os.path.exists(record_path):
            try:
                with open(record_path, encoding="utf-8") as file:
                    record = json.load(file)
            except (OSError, ValueError):
                record = None
    if isinstance(record, dict) and "command" in record:
        print(f"made by: {record['command']}")
        if record.get("validation_accuracy") is not None:
            print(f"validation accuracy: {record['validation_accuracy']:.2%}")
    return 0


# ---------------------------------------------------------------------------
# The parser
# ---------------------------------------------------------------------------


def _whole_number(minimum):
    """An argparse type: a whole number of at least `minimum`."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"expected a whole number of at least {minimum}, got {value}"
            )
        return value

    return parse


_positive_int = _whole_number(1)
_count = _whole_number(0)


def _number(text):
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not np.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"expected a finite number of at least 0, got {text}")
    return value


def _sizes(text):
    try:
        sizes = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected layer sizes separated by commas, such as 784,16,16,10, got {text!r}"
        ) from None
    try:
        return list(check_sizes(sizes))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# ---------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------


def _data(args):
    from . import datasets

    try:
        for split in ("train", "test"):
            images, _ = _load_mnist(split, "data")
            print(f"MNIST {split}: {len(images):,} images, every file checked against its SHA-256")
    except CommandError as error:
        # --or-sample forgives only a failed download: a bad local file fails
        # the book too (it finds the file and refuses it), so it fails here.
        if not (args.or_sample and isinstance(error.__cause__, datasets.DownloadError)):
            raise
        what = str(error.__cause__).split(":\n")[0]   # "could not download ... from any of ..."
        print(
            f"digitnet data: note: {what} (see the lines above), so the book will be built "
            f"with the {datasets.SAMPLE_SIZE:,}-image sample that ships with the package; to "
            "get the full data set later, run 'digitnet data' again, or set "
            f"{datasets.DATA_DIR_VARIABLE} to a folder holding the four MNIST files",
            file=sys.stderr,
        )
        return 0
    folder = os.environ.get(datasets.DATA_DIR_VARIABLE)
    print(f"read from {datasets.DATA_DIR_VARIABLE}={folder}" if folder
          else f"cache folder: {datasets.cache_dir()}")
    paths = [datasets._local_copy(name)[0] for pair in datasets.MNIST_FILES.values() for name in pair]
    for path in paths:
        print(f"  {path}")
    print(f"digitnet data: the full MNIST data set is ready ({len(paths)} files, "
          f"{sum(datasets.SPLIT_SIZES.values()):,} images); the book will be built with it",
          file=sys.stderr)
    return 0


def build_parser():
    """The ``argparse`` parser of the ``digitnet`` command."""
    parser = argparse.ArgumentParser(
        prog="digitnet",
        description="The 784-16-16-10 handwritten-digit network: train, evaluate, predict.",
    )
    parser.add_argument("--version", action="version", version=f"digitnet {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    train = commands.add_parser(
        "train",
        help="train a network on MNIST and save its weights",
        description=(
            "Train a network by mini-batch SGD on the MNIST training images, holding out\n"
            "the last --validation of them, and write the weights (.npz) and a record of\n"
            "how they were made (.json, same name). Options given explicitly override\n"
            f"the recipe (default recipe: {DEFAULT_RECIPE})."
        ),
        epilog="recipes:\n" + "\n".join(
            textwrap.fill(
                ", ".join(f"{key}={value}" for key, value in recipe.items() if key != "sizes"),
                width=78, initial_indent=f"  {name}: ", subsequent_indent="    ",
            )
            for name, recipe in RECIPES.items()
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument("-o", "--out", metavar="PATH", required=True, help="the weights file to write (.npz)")
    train.add_argument("--recipe", choices=sorted(RECIPES),
                       help="a named set of hyperparameters; 'pretrained' made the packaged weights")
    train.add_argument("--sizes", type=_sizes, help="layer sizes, e.g. 784,16,16,10")
    train.add_argument("--epochs", metavar="N", type=_count, help="passes over the training images")
    train.add_argument("--batch-size", metavar="N", type=_positive_int, help="examples per mini-batch")
    train.add_argument("--eta", metavar="ETA", type=_number, help="learning rate")
    train.add_argument("--cost", choices=["quadratic", "cross-entropy"], help="cost function")
    train.add_argument("--lmbda", metavar="LMBDA", type=_number, help="L2 regularisation strength")
    train.add_argument("--momentum", metavar="MU", type=_number, help="momentum, 0 for plain SGD")
    train.add_argument("--schedule", choices=["constant", "cosine"], help="learning-rate schedule")
    train.add_argument("--shift", metavar="N", type=_count, help="random shifts of up to this many pixels (augmentation)")
    train.add_argument("--seed", metavar="N", type=_count, help="seed of the initial weights and the shuffling")
    train.add_argument("--dtype", choices=["float32", "float64"], help="floating type")
    train.add_argument("--validation", metavar="N", type=_count,
                       help="hold out this many of the last training images (0: train on all)")
    train.add_argument("--limit", metavar="N", type=_positive_int,
                       help="train on only the first N training images (for quick trials)")
    train.add_argument("--force", action="store_true", help="overwrite existing output files")
    train.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    train.set_defaults(run=_train)

    evaluate = commands.add_parser(
        "evaluate",
        help="accuracy on the 10,000 MNIST test images",
        description="Overall and per-digit accuracy on the 10,000 MNIST test images.",
    )
    evaluate.add_argument("weights", nargs="?", metavar="WEIGHTS",
                          help="a weights file (.npz); default: the pretrained network")
    evaluate.set_defaults(run=_evaluate)

    predict = commands.add_parser(
        "predict",
        help="read the digit in pictures (files or folders)",
        description=(
            "Read the handwritten digit in each picture: separate the ink from the paper,\n"
            "prepare it like MNIST (28x28, centred), run the network, and print one line\n"
            "per picture: the digit and the network's confidence, or 'no digit' (blank,\n"
            "a dot, a scribble) or 'not sure' with the best guess. For one picture the\n"
            "ten output activations follow. Needs the images extra:\n"
            '  pip install "digitnet[images]"'
        ),
        epilog=(
            "exit status: 0 if every picture holds a digit; 3 if some picture holds no\n"
            "digit or the network is not sure of it; 1 if a picture could not be read\n"
            "(the others are still read); 2 for a usage error."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE",
                         help="a picture file (PNG, JPEG, ...), or a folder: the pictures in it, "
                              "by their file names' extensions (not its subfolders)")
    predict.add_argument("--json", action="store_true",
                         help="print a JSON list, one object per picture (for scripts)")
    predict.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    predict.add_argument("--weights", metavar="WEIGHTS", help="a weights file (.npz); default: the pretrained network")
    predict.set_defaults(run=_predict)

    info = commands.add_parser(
        "info",
        help="layer sizes and parameter counts",
        description="Show the layer sizes and how many weights and biases sit between each pair of layers.",
    )
    info.add_argument("--weights", metavar="WEIGHTS", help="a weights file (.npz); default: the pretrained network")
    info.set_defaults(run=_info)

    data = commands.add_parser(
        "data",
        help="fetch and check the MNIST files",
        description="Find the four MNIST files (in $DIGITNET_DATA_DIR or the user cache), "
                    "download any that are missing from a mirror, and check every file "
                    "against its SHA-256. Run it once on a machine with a network; after "
                    "that, training, evaluation and the book need none. A source that fails "
                    "in a way that may pass (no connection, a timeout, HTTP 5xx) is tried "
                    "again after growing pauses, then the next; every attempt is logged on "
                    "stderr.",
    )
    data.add_argument("--or-sample", action="store_true",
                      help="for builds: if no source delivers the files, print a note and exit "
                           "0, so that the book is built with the bundled 1,000-image sample")
    data.set_defaults(run=_data)
    return parser


#: The exit code when the output pipe closes early (``digitnet info | head -n 1``):
#: 128 + SIGPIPE, what the shell reports for a program that SIGPIPE ends, such as cat.
BROKEN_PIPE = 141


def main(argv=None):
    """Run the ``digitnet`` command with `argv` (default ``sys.argv[1:]``); return the exit code.

    The exit code is 0 on success, 1 for an error (reported in one line), 2 for
    a usage error, 130 after Ctrl-C, and :data:`BROKEN_PIPE` (141) when the
    reader of the output went away first, as ``head`` does; nothing is printed
    then, as for other Unix commands. (``--help`` and ``--version`` may still
    exit 0 there: argparse discards their failed write itself.)
    """
    try:
        code = _main(argv)
        sys.stdout.flush()   # here, not at exit, so that a closed pipe is caught below
    except BrokenPipeError:
        # Point stdout at devnull, so that the interpreter's own flush at exit
        # finds no broken pipe to report either.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):   # stdout is not a real file (e.g. captured)
            pass
        return BROKEN_PIPE
    return code


def _main(argv):
    """:func:`main` without the handling of a closed output pipe."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version or a usage error (already printed)
        return exit.code if isinstance(exit.code, int) else 2
    args.argv = argv
    try:
        return args.run(args)
    except CommandError as error:
        print(f"digitnet {args.command}: error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"digitnet {args.command}: interrupted", file=sys.stderr)
        return 130
