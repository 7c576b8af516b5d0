"""Handwritten digits as the network sees them.

An MNIST image is 28x28 grayscale pixels with values 0 (background) to 255
(ink). The input layer takes one activation per pixel between 0.0 and 1.0.

:func:`load_mnist` reads the 60,000 training and 10,000 test images from the
four original MNIST files (gzip-compressed as published, or decompressed),
:func:`load_sample` the 1,000 test images that ship with the package (no
download needed). Every MNIST file is checked against its SHA-256 sum before
it is used.
"""

import gzip
import hashlib
import io
import logging
import math
import os
import time
import zlib
from importlib import resources
from pathlib import Path

import numpy as np

from ._checks import as_real_array, check_dtype, check_finite

#: The environment variable naming a folder that holds the four MNIST files.
DATA_DIR_VARIABLE = "DIGITNET_DATA_DIR"

#: The images file and the labels file of each split.
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}

#: The number of images in each split.
SPLIT_SIZES = {"train": 60_000, "test": 10_000}

#: The SHA-256 sum of each original MNIST file, as published (gzip-compressed).
SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

#: The SHA-256 sum of each MNIST file once decompressed (by gunzip or a browser),
#: under the name that gunzip gives it.
SHA256_UNCOMPRESSED = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

#: Where :func:`load_mnist` downloads from, tried in this order (the PyTorch,
#: the TensorFlow and the Azure Open Datasets copy of the original files, kept
#: by three different companies, so that one outage leaves two). Whatever a
#: source serves is checked against :data:`SHA256` before it is kept.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    # Microsoft's Azure Open Datasets catalog page "The MNIST database of handwritten
    # digits" (MicrosoftDocs/azure-docs, articles/open-datasets/dataset-mnist.md) says the data
    # is sourced from yann.lecun.com/exdb/mnist, names this container and lists the
    # four .gz files in it with the original sizes (9,912,422, 28,881, 1,648,877 and
    # 4,542 bytes); its sample code reads them with gzip as IDX. No published hash
    # was found for this copy: the SHA-256 check decides, as for the other two.
    "https://azureopendatastorage.blob.core.windows.net/mnist/",
)

#: The pauses, in seconds, before each further attempt at one source after a
#: failure that may pass (no connection, a timeout, HTTP 5xx, 408 or 429): four
#: attempts in all, over 7 seconds. A file with the wrong SHA-256, or a lasting
#: error such as HTTP 404, moves on to the next source at once.
RETRY_DELAYS = (1, 2, 4)

#: The most data bytes an IDX file may claim (1 GiB; MNIST's largest file holds
#: 47 MB). A larger claim means a corrupt header and is refused before anything
#: is read.
MAX_IDX_BYTES = 2**30

#: The number of images in the sample shipped with the package.
SAMPLE_SIZE = 1_000

_SAMPLE_RESOURCE = "data/mnist_sample.npz"
_GZIP_MAGIC = b"\x1f\x8b"
_IDX_KINDS = {1: "labels", 3: "images"}
_CHUNK = 1 << 22  # read 4 MiB at a time, so memory grows only as data arrives


def normalize(pixels, dtype=np.float64):
    """Pixel values 0–255 as input-layer activations 0.0–1.0, one row per image.

    Parameters
    ----------
    pixels : array_like of shape (28, 28), (784,), (n, 28, 28) or (n, 784)
        One image or a batch of images, with values from 0 to 255 (any real
        or integer dtype, typically uint8).
    dtype : {numpy.float64, numpy.float32}, optional
        The floating type of the result.

    Returns
    -------
    numpy.ndarray, shape (784,) or (n, 784)
        ``pixels / 255``, each image flattened row by row into the 784
        activations of the input layer.

    Raises
    ------
    TypeError
        If `pixels` is not numeric.
    ValueError
        If the shape is none of the four above, or a value is NaN, infinite,
        negative or above 255; or if float pixels are all within 0.0-1.0 and
        not all 0 (activations already, which normalize would divide by 255
        a second time).

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import normalize
    >>> image = np.zeros((28, 28), dtype=np.uint8)
    >>> image[14, 10:18] = 255                # a short stroke of full ink
    >>> a = normalize(image)
    >>> a.shape, float(a.max()), float(a[14 * 28 + 10])
    ((784,), 1.0, 1.0)
    >>> normalize(np.full((3, 28, 28), 51)).shape   # a batch of three
    (3, 784)
    """
    dtype = check_dtype(dtype)
    raw = np.asarray(pixels)
    if not (np.issubdtype(raw.dtype, np.integer) or np.issubdtype(raw.dtype, np.floating)):
        raise TypeError(
            f"pixels must be numeric (e.g. uint8 values 0-255), got dtype {raw.dtype}"
        )
    shape = raw.shape
    if shape in ((28, 28), (784,)):
        flat_shape = (784,)
    elif (len(shape) == 3 and shape[1:] == (28, 28)) or (len(shape) == 2 and shape[1] == 784):
        flat_shape = (shape[0], 784)
    else:
        raise ValueError(
            "pixels must have shape (28, 28) or (784,) for one image, "
            f"(n, 28, 28) or (n, 784) for a batch, got {shape}"
        )
    values = check_finite(as_real_array(raw, "pixels", dtype), "pixels")
    if values.size and (values.min() < 0 or values.max() > 255):
        raise ValueError(
            f"pixel values must lie between 0 and 255, got values from {values.min()} "
            f"to {values.max()}; if they are already scaled to 0-1, skip normalize"
        )
    if np.issubdtype(raw.dtype, np.floating) and values.size and 0 < values.max() <= 1:
        # Pixels 0-255 that are all at most 1 would be almost blank paper:
        # these are activations already (a prepared digit), and dividing them
        # by 255 again would make every answer the same.
        raise ValueError(
            f"these float pixels lie between {values.min()} and {values.max()}: they are "
            "activations 0.0-1.0 already (e.g. from prepare_digit); use them as they are, "
            "flattened with x.reshape(-1) (or x.reshape(-1, 784) for a batch)"
        )
    return _scale_pixels(values, dtype).reshape(flat_shape)


def _scale_pixels(pixels, dtype):
    """Pixel values 0–255 as activations 0.0–1.0 of floating type `dtype` (unchecked)."""
    dtype = np.dtype(dtype)
    return np.asarray(pixels).astype(dtype, copy=False) / dtype.type(255)


def _read_up_to(stream, size):
    """Read `size` bytes from `stream`, or fewer if it ends first."""
    data = bytearray()
    while len(data) < size:
        chunk = stream.read(min(_CHUNK, size - len(data)))
        if not chunk:
            break
        data += chunk
    return data


def _parse_idx(stream, name):
    """The array held by the (decompressed) IDX `stream`; `name` is used in messages."""
    header = _read_up_to(stream, 4)
    if len(header) < 4:
        raise ValueError(
            f"{name} is not an IDX file: it holds {len(header)} bytes, fewer than the "
            "4-byte magic number; the file is truncated or empty"
        )
    if header[:3] != b"\x00\x00\x08" or header[3] not in _IDX_KINDS:
        raise ValueError(
            f"{name} is not an MNIST IDX file: its magic number is "
            f"0x{int.from_bytes(header, 'big'):08X}, expected 0x00000803 (images) or "
            "0x00000801 (labels); check that it is one of the four MNIST files"
        )
    ndim = header[3]
    dims_bytes = _read_up_to(stream, 4 * ndim)
    if len(dims_bytes) < 4 * ndim:
        raise ValueError(
            f"{name} is truncated: its header ends after {4 + len(dims_bytes)} bytes, "
            f"but an IDX file of {_IDX_KINDS[ndim]} has a {4 + 4 * ndim}-byte header"
        )
    shape = tuple(int.from_bytes(dims_bytes[i : i + 4], "big") for i in range(0, 4 * ndim, 4))
    claimed = math.prod(shape)
    if claimed > MAX_IDX_BYTES:
        raise ValueError(
            f"{name} has a corrupt header: it claims shape {shape}, {claimed:,} bytes "
            f"of data, more than the {MAX_IDX_BYTES:,} bytes an IDX file may hold here"
        )
    # One byte more than claimed: enough to see trailing data, never more.
    data = _read_up_to(stream, claimed + 1)
    if len(data) < claimed:
        raise ValueError(
            f"{name} is truncated: its header claims shape {shape}, {claimed:,} bytes "
            f"of data, but only {len(data):,} follow; download or copy the file again"
        )
    if len(data) > claimed:
        raise ValueError(
            f"{name} is corrupt: more data follows the {claimed:,} bytes that its header "
            f"claims (shape {shape}); download or copy the file again"
        )
    return np.frombuffer(data, dtype=np.uint8).reshape(shape)


def _read_idx_from(file, name):
    """Parse the IDX data in the binary, seekable `file`, gzip-compressed or not."""
    compressed = file.read(2) == _GZIP_MAGIC
    file.seek(0)
    if not compressed:
        return _parse_idx(file, name)
    try:
        with gzip.GzipFile(fileobj=file, mode="rb") as stream:
            return _parse_idx(stream, name)
    except (OSError, EOFError, zlib.error) as error:
        raise ValueError(
            f"{name} starts like a gzip file but could not be decompressed ({error}); "
            "the file is corrupt or truncated: download or copy it again"
        ) from None


def read_idx(path):
    """Read one file in the IDX format of MNIST: an array of unsigned bytes.

    An IDX file is a 4-byte magic number (``0x00000803`` for images,
    ``0x00000801`` for labels: zero, zero, the type code ``0x08`` for unsigned
    bytes, the number of dimensions), one big-endian 4-byte size per dimension,
    then the data, row by row. A gzip-compressed file is recognised by its first
    two bytes (not by its name) and decompressed as it is read.

    Parameters
    ----------
    path : str or os.PathLike
        The file, compressed or not.

    Returns
    -------
    numpy.ndarray of uint8
        Shape ``(n, rows, columns)`` for images, ``(n,)`` for labels.

    Raises
    ------
    FileNotFoundError
        If there is no file at `path`.
    ValueError
        If the file is not an IDX file of unsigned bytes with 1 or 3
        dimensions, is corrupt gzip, or holds fewer or more data bytes than its
        header claims. The size claimed by the header is checked against
        :data:`MAX_IDX_BYTES` before anything is read, and at most one byte more
        than claimed is ever read, so a corrupt header cannot make this function
        allocate a huge array.

    Examples
    --------
    >>> import gzip, tempfile
    >>> from pathlib import Path
    >>> from digitnet.datasets import read_idx
    >>> labels = bytes([0, 0, 8, 1]) + (3).to_bytes(4, "big") + bytes([7, 2, 1])
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "labels.gz").write_bytes(gzip.compress(labels))
    >>> read_idx(folder / "labels.gz")
    array([7, 2, 1], dtype=uint8)
    >>> _ = (folder / "labels").write_bytes(labels + b"extra")
    >>> read_idx(folder / "labels")
    Traceback (most recent call last):
    ...
    ValueError: .../labels is corrupt: more data follows the 3 bytes that its header claims ...
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no IDX file at {path}")
    with open(path, "rb") as file:
        return _read_idx_from(file, str(path))


def cache_dir():
    """The folder where :func:`load_mnist` keeps the MNIST files it downloads.

    It is the user cache folder of the operating system, the one pooch uses
    (``platformdirs.user_cache_path("digitnet")``): ``~/.cache/digitnet`` on Linux (or
    ``$XDG_CACHE_HOME/digitnet``), ``~/Library/Caches/digitnet`` on macOS,
    a folder under ``%LOCALAPPDATA%`` on Windows. Nothing is created until a
    download happens.

    Returns
    -------
    pathlib.Path

    Examples
    --------
    >>> from digitnet.datasets import cache_dir
    >>> cache_dir().name
    'digitnet'
    """
    # Not pooch.os_cache: importing pooch imports tqdm.auto, which warns in a
    # notebook without ipywidgets -- and a local read needs no pooch at all.
    import platformdirs

    return platformdirs.user_cache_path("digitnet")


def _local_names(name):
    """The names MNIST file `name` (``*.gz``) is looked for under in ``DIGITNET_DATA_DIR``.

    As published, as gunzip leaves it, and with a dot, as the original site and
    Kaggle spell it: ``train-images-idx3-ubyte.gz``, ``train-images-idx3-ubyte``,
    ``train-images.idx3-ubyte``.
    """
    raw = name.removesuffix(".gz")
    return name, raw, raw.replace("-idx", ".idx")


def _checked_bytes(path, name, fix):
    """The bytes of the file at `path` if they are MNIST file `name`, compressed or not.

    The content decides, not the file name: the SHA-256 must be that of the
    published ``.gz`` file (:data:`SHA256`) or of its decompressed bytes
    (:data:`SHA256_UNCOMPRESSED`).
    """
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    raw = name.removesuffix(".gz")
    if actual in (SHA256[name], SHA256_UNCOMPRESSED[raw]):
        return data
    raise ValueError(
        f"{path} is not the original MNIST file {name}, compressed or decompressed: its "
        f"SHA-256 sum is {actual} ({len(data):,} bytes), expected {SHA256[name]} (the "
        f"published .gz file) or {SHA256_UNCOMPRESSED[raw]} (decompressed). The file is "
        f"corrupt, truncated or a different file. Fix: {fix}"
    )


class DownloadError(ConnectionError):
    """No source delivered an MNIST file: each was unreachable, failed, or served other bytes.

    The message names the file and, for every source, how many attempts were
    made and why the last one failed. Nothing is left behind in the cache. It
    is a ``ConnectionError``, so code that catches that catches it too.

    Examples
    --------
    >>> from digitnet.datasets import DownloadError
    >>> issubclass(DownloadError, ConnectionError)
    True
    """


_log = logging.getLogger(__name__)
_sleep = time.sleep  # how the pauses between attempts are taken (tests record them instead)


def _is_transient(error):
    """Whether a download that failed with `error` may succeed if asked for again soon."""
    import requests

    status = getattr(getattr(error, "response", None), "status_code", None)
    if status is not None:  # the server answered: only overload and its own faults pass
        return status >= 500 or status in (408, 429)
    if isinstance(error, requests.exceptions.SSLError):  # a certificate problem stays
        return False
    return isinstance(error, (
        ConnectionError, TimeoutError,  # builtins, including socket timeouts
        requests.exceptions.ConnectionError, requests.exceptions.Timeout,
        requests.exceptions.ChunkedEncodingError,  # the connection broke mid-file
    ))


def _one_line(error):
    return " ".join(str(error).split()) or type(error).__name__


def _download(name, folder):
    """Download MNIST file `name` into `folder` from the first source that has it; return its bytes.

    Each of :data:`MIRRORS` gets up to ``1 + len(RETRY_DELAYS)`` attempts, with
    the pauses of :data:`RETRY_DELAYS` between them, as long as it fails in a way
    that may pass (:func:`_is_transient`); a file with the wrong SHA-256, or a
    lasting error (HTTP 404), moves on to the next source at once. pooch streams
    each download into a temporary file beside the target and moves it into
    place only once its SHA-256 matches (deleting it otherwise), so an
    interrupted or corrupt download never leaves a file behind. pooch's own
    ``retry_if_failed`` (of ``pooch.create``, not ``pooch.retrieve``) is not used:
    it waits 1, 2, 3 s, retries a wrong checksum and an HTTP 404 alike, and
    says nothing of why. Every failed attempt is logged as a warning, in one line.
    """
    import pooch

    attempts = 1 + len(RETRY_DELAYS)
    failures = []
    for source in MIRRORS:
        url = source + name
        for attempt in range(1, attempts + 1):
            try:
                fetched = pooch.retrieve(
                    url, known_hash=f"sha256:{SHA256[name]}", fname=name, path=folder,
                    progressbar=True,
                )
                data = _checked_bytes(Path(fetched), name, fix="this download was deleted")
            except ValueError as error:  # a checksum mismatch, pooch's or ours
                (Path(folder) / name).unlink(missing_ok=True)
                reason, again = f"not the original file: {_one_line(error)}", False
            except OSError as error:  # no network, timeouts, HTTP errors (requests' are OSErrors)
                reason, again = _one_line(error), _is_transient(error)
            else:
                _log.info("%s: downloaded from %s (attempt %d of %d), SHA-256 checked",
                          name, source, attempt, attempts)
                return data
            where = f"{name}: attempt {attempt} of {attempts} at {source} failed"
            if again and attempt < attempts:
                delay = RETRY_DELAYS[attempt - 1]
                _log.warning("%s: %s; trying again in %g s", where, reason, delay)
                _sleep(delay)
                continue
            last = source == MIRRORS[-1]
            _log.warning("%s: %s; %s", where, reason,
                         "no source left" if last else "trying the next source")
            failures.append(f"{url} ({attempt} attempt{'s' if attempt > 1 else ''}): {reason}")
            break
    raise DownloadError(
        f"could not download the MNIST file {name} from any of its {len(MIRRORS)} sources:\n  "
        + "\n  ".join(failures)
        + f"\nTry again later, or fetch the four MNIST files yourself and set "
        f"{DATA_DIR_VARIABLE} to the folder that holds them."
    )


def _local_copy(name):
    """Where MNIST file `name` is on this machine -- and how to fix it if bad -- or None."""
    setting = os.environ.get(DATA_DIR_VARIABLE, "")
    if setting:
        folder = Path(setting).expanduser()
        if not folder.is_dir():
            raise FileNotFoundError(
                f"{DATA_DIR_VARIABLE} is set to {setting!r}, which is not a folder; set it "
                "to the folder that holds the MNIST files, or unset it to use the cache"
            )
        for candidate in _local_names(name):
            if (folder / candidate).is_file():
                return folder / candidate, (
                    f"replace it with the original file (compressed or not), or point "
                    f"{DATA_DIR_VARIABLE} at a folder that holds the original MNIST files"
                )
    cache = cache_dir()
    if (cache / name).is_file():
        return cache / name, f"delete {cache / name} and call load_mnist again to download a fresh copy"
    return None


def mnist_is_local():
    """Whether all four MNIST files are on this machine (unchecked; nothing is read).

    Returns
    -------
    bool
        True if :func:`load_mnist` would find every file in ``DIGITNET_DATA_DIR``
        (compressed or not, under any of the names it accepts) or the cache, so
        that ``download=False`` can succeed.

    Examples
    --------
    Only the presence of the files counts: four empty files will do, here
    under the dotted names of decompressed files (``t10k-images.idx3-ubyte``).

    >>> import os, tempfile
    >>> from pathlib import Path
    >>> from unittest import mock
    >>> from digitnet.datasets import MNIST_FILES, mnist_is_local
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     for name in [name for pair in MNIST_FILES.values() for name in pair]:
    ...         (Path(folder) / name.replace("-idx", ".idx").removesuffix(".gz")).touch()
    ...     with mock.patch.dict(os.environ, DIGITNET_DATA_DIR=folder):
    ...         print(mnist_is_local())
    ...     with mock.patch.dict(os.environ, DIGITNET_DATA_DIR=str(Path(folder) / "nowhere")):
    ...         print(mnist_is_local())      # the variable names no folder
    True
    False
    """
    try:
        return all(_local_copy(name) for pair in MNIST_FILES.values() for name in pair)
    except FileNotFoundError:
        return False


def _mnist_file(name, download):
    """The checked bytes of MNIST file `name`, from the first place that has it."""
    local = _local_copy(name)
    if local is not None:
        path, fix = local
        return _checked_bytes(path, name, fix=fix)
    cache = cache_dir()
    if not download:
        setting = os.environ.get(DATA_DIR_VARIABLE, "")
        _, raw, dotted = _local_names(name)
        where = (
            f"{DATA_DIR_VARIABLE} is set to {setting!r}, which has no {name} "
            f"(nor {raw} or {dotted})"
            if setting else f"{DATA_DIR_VARIABLE} is not set"
        )
        raise FileNotFoundError(
            f"the MNIST file {name} was not found: {where}, and the cache folder "
            f"{cache} has no copy. Set {DATA_DIR_VARIABLE} to a folder that holds the "
            "four MNIST files (.gz or uncompressed), or call load_mnist with "
            "download=True to download them into the cache"
        )
    return _download(name, cache)


def _check_split(split):
    if not isinstance(split, str) or split not in MNIST_FILES:
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    return split


def _check_digits(images, labels, n, source, fix=""):
    """`images` and `labels` if they are `n` uint8 28x28 images and `n` digits 0-9.

    Otherwise raise ``ValueError`` naming `source` and ending with `fix`.
    """
    for name, array, shape in (("images", images, (n, 28, 28)), ("labels", labels, (n,))):
        if array.shape != shape or array.dtype != np.uint8:
            raise ValueError(
                f"{source}: {name} has shape {array.shape} and dtype {array.dtype}, "
                f"expected {shape} and uint8{fix}"
            )
    if labels.max() > 9:
        raise ValueError(f"{source}: a label is {labels.max()}, expected digits 0-9{fix}")
    return images, labels


def load_mnist(split, *, download=True):
    """The MNIST training or test images and their labels.

    The four MNIST files are looked for, in this order:

    1. in the folder named by the environment variable ``DIGITNET_DATA_DIR``
       (a relative path is taken from the current folder), each under its
       published name (``train-images-idx3-ubyte.gz``), the name gunzip gives
       it (``train-images-idx3-ubyte``) or the dotted name of the original site
       and Kaggle (``train-images.idx3-ubyte``), in that order; the files may
       be gzip-compressed or not, whatever their names. If the variable is set
       but names no folder, that is an error; if the folder lacks a file, the
       search goes on;
    2. in the user cache folder, :func:`cache_dir` (the ``.gz`` files it
       downloads);
    3. on the web: the file is downloaded into the cache folder from the
       first of :data:`MIRRORS` that delivers it (unless ``download=False``),
       each source tried again after the pauses of :data:`RETRY_DELAYS` while
       it fails in a way that may pass (no connection, a timeout, HTTP 5xx or
       429). Every failed attempt is logged as a warning, in one line.

    Whichever place a file comes from, its SHA-256 sum is checked before it is
    read -- against :data:`SHA256` for a compressed file, against
    :data:`SHA256_UNCOMPRESSED` for a decompressed one -- and a file that fails
    is never used:
    a bad file in ``DIGITNET_DATA_DIR`` or in the cache raises ``ValueError``
    (no silent fall-through to another copy, and a cached file is not deleted
    behind your back -- the message says which file to delete); a bad download
    is deleted and the next source tried at once.

    The arrays are read afresh on every call (no caching in memory), so they
    can be modified freely; reading the training set takes well under a
    second.

    Parameters
    ----------
    split : {"train", "test"}
        The 60,000 training images or the 10,000 test images.
    download : bool, default True
        Whether the files may be downloaded when no local copy exists. With
        ``download=False`` nothing touches the network.

    Returns
    -------
    images : numpy.ndarray of uint8, shape (n, 28, 28)
        Pixel values 0 (background) to 255 (ink).
    labels : numpy.ndarray of uint8, shape (n,)
        The digit 0-9 shown by each image.

    Raises
    ------
    ValueError
        If `split` is not "train" or "test", or a file fails its SHA-256 check
        (the message names the file, its sum and the expected one) or is not a
        valid MNIST file.
    FileNotFoundError
        If ``download=False`` and a file is found neither in
        ``DIGITNET_DATA_DIR`` nor in the cache, or if ``DIGITNET_DATA_DIR``
        names no folder.
    DownloadError
        A ``ConnectionError``: if a download is needed and no source delivers
        the original file (unreachable, failing, or serving other bytes).

    Examples
    --------
    >>> from digitnet.datasets import load_mnist
    >>> images, labels = load_mnist("test")          # doctest: +SKIP
    >>> images.shape, images.dtype, labels[:10]      # doctest: +SKIP
    ((10000, 28, 28), dtype('uint8'), array([7, 2, 1, 0, 4, 1, 4, 9, 5, 9], dtype=uint8))
    >>> load_mnist("validation")
    Traceback (most recent call last):
    ...
    ValueError: split must be 'train' or 'test', got 'validation'
    """
    split = _check_split(split)
    if not isinstance(download, bool):
        raise TypeError(f"download must be True or False, got {download!r}")
    arrays = []
    for name in MNIST_FILES[split]:
        data = _mnist_file(name, download)
        arrays.append(_read_idx_from(io.BytesIO(data), name))
    return _check_digits(*arrays, SPLIT_SIZES[split], f"the MNIST {split} files")



def make_sample(path, *, overwrite=False):
    """Write the sample of :func:`load_sample`: the first 1,000 MNIST test images.

    This is how the file ``digitnet/data/mnist_sample.npz`` shipped with the
    package was made, so anyone can remake it and compare. The images are the
    first :data:`SAMPLE_SIZE` of the test split in their original order (not
    class-balanced: each digit appears 85 to 126 times). They come from the
    first half of the test set, the half written by Census Bureau employees,
    which is a little neater than the second half.

    Parameters
    ----------
    path : str or os.PathLike
        Where to write the compressed ``.npz`` file (its folder must exist).
        It holds two arrays, ``images`` (uint8, shape (1000, 28, 28)) and
        ``labels`` (uint8, shape (1000,)).
    overwrite : bool, default False
        Replace an existing file; otherwise an existing file is an error.

    Returns
    -------
    pathlib.Path
        `path`.

    Raises
    ------
    FileExistsError
        If `path` exists and `overwrite` is false.

    Examples
    --------
    >>> from digitnet.datasets import make_sample
    >>> make_sample("src/digitnet/data/mnist_sample.npz", overwrite=True)  # doctest: +SKIP
    PosixPath('src/digitnet/data/mnist_sample.npz')
    """
    path = Path(path)
    if not isinstance(overwrite, bool):
        raise TypeError(f"overwrite must be True or False, got {overwrite!r}")
    if path.exists() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True to replace it")
    images, labels = load_mnist("test")
    with open(path, "wb" if overwrite else "xb") as file:
        np.savez_compressed(file, images=images[:SAMPLE_SIZE], labels=labels[:SAMPLE_SIZE])
    return path


def load_sample():
    """A sample of 1,000 MNIST test images that ships with the package.

    No download and no data folder are needed, which makes it the data of
    doctests, quick experiments and the book's first chapters. The images are
    the first 1,000 of the MNIST test split (see :func:`make_sample`); like
    MNIST they are licensed CC BY-SA 3.0 (Yann LeCun and Corinna Cortes,
    derived from NIST data; see ``digitnet/data/README.md``).

    Returns
    -------
    images : numpy.ndarray of uint8, shape (1000, 28, 28)
        Pixel values 0 (background) to 255 (ink).
    labels : numpy.ndarray of uint8, shape (1000,)
        The digit 0-9 shown by each image.

    Raises
    ------
    ValueError
        If the packaged file is damaged (the package should then be
        reinstalled).

    Examples
    --------
    >>> from digitnet.datasets import load_sample
    >>> images, labels = load_sample()
    >>> images.shape, images.dtype, labels.shape
    ((1000, 28, 28), dtype('uint8'), (1000,))
    >>> labels[:10]
    array([7, 2, 1, 0, 4, 1, 4, 9, 5, 9], dtype=uint8)
    >>> int(images.max())
    255
    """
    resource = resources.files(__package__).joinpath(_SAMPLE_RESOURCE)
    fix = "; reinstall digitnet, or remake the file with make_sample"
    try:
        with resource.open("rb") as file, np.load(file, allow_pickle=False) as archive:
            images, labels = archive["images"], archive["labels"]
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(
            f"the packaged MNIST sample {resource} could not be read ({error}){fix}"
        ) from None
    return _check_digits(
        images, labels, SAMPLE_SIZE, f"the packaged MNIST sample {resource} is damaged", fix
    )


def load_mnist_or_sample(split):
    """The MNIST split if it is on this machine, otherwise the bundled sample.

    Never downloads: this is how the book stays buildable offline. It uses the
    full split when :func:`load_mnist` finds it in ``DIGITNET_DATA_DIR`` or
    the cache, and :func:`load_sample` (1,000 *test* images) when it does not.

    Parameters
    ----------
    split : {"train", "test"}
        The split wanted.

    Returns
    -------
    images : numpy.ndarray of uint8, shape (n, 28, 28)
    labels : numpy.ndarray of uint8, shape (n,)
    full : bool
        True if these are the full split, False if they are the sample -- a
        caller training on it must split it itself and say so.

    Examples
    --------
    >>> from digitnet.datasets import load_mnist_or_sample
    >>> images, labels, full = load_mnist_or_sample("test")
    >>> images.shape[1:], len(images) == (10_000 if full else 1_000)
    ((28, 28), True)
    """
    try:
        images, labels = load_mnist(split, download=False)
    except FileNotFoundError:
        images, labels = load_sample()
        return images, labels, False
    return images, labels, True


def load_train_test():
    """Training and test images for a page that learns: full MNIST, or a split sample.

    Never downloads. With the MNIST files on this machine it returns the 60,000
    training and 10,000 test images; without them, the 1,000 bundled sample
    images split into the first 800 to learn from and the last 200 to test on.

    Returns
    -------
    train_images, train_labels, test_images, test_labels : numpy.ndarray
        uint8 images of shape (n, 28, 28) and uint8 labels of shape (n,).
    full : bool
        True for the full MNIST data set, False for the split sample.

    Examples
    --------
    >>> from digitnet.datasets import load_train_test
    >>> x, y, x_test, y_test, full = load_train_test()
    >>> (len(x), len(x_test)) == ((60_000, 10_000) if full else (800, 200))
    True
    """
    if mnist_is_local():
        train_images, train_labels = load_mnist("train", download=False)
        test_images, test_labels = load_mnist("test", download=False)
        return train_images, train_labels, test_images, test_labels, True
    images, labels = load_sample()
    return images[:800], labels[:800], images[800:], labels[800:], False
