"""Reading MNIST: the IDX reader, the search for the files, their checksums, the sample.

Nothing here touches the network or the real user cache: every test runs with
the cache folder moved into ``tmp_path``, ``pooch.retrieve`` replaced by a
function that fails the test if called (the download tests fake one instead),
and the pauses between download attempts recorded instead of slept.
The real MNIST files come from ``DIGITNET_DATA_DIR`` if it is set, else from
``../shared/data/mnist`` beside the repository (``MNIST_DIR`` of conftest.py).
"""

import gzip
import hashlib
import os
import shutil
import tracemalloc
from pathlib import Path

import logging

import numpy as np
import pooch
import pytest
import requests

from digitnet import datasets
from digitnet.datasets import load_mnist, load_sample, make_sample, read_idx

from conftest import MNIST_DIR, corrupt_copy, flip_byte

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
TEST_IMAGES = "t10k-images-idx3-ubyte.gz"
TEST_LABELS = "t10k-labels-idx1-ubyte.gz"
TEST_FILES = (TEST_IMAGES, TEST_LABELS)

# Skipped on a machine without the files -- but never in CI, where .ci/run points
# DIGITNET_DATA_DIR at them: there a missing folder must fail, not skip.
needs_mnist = pytest.mark.skipif(
    not all((MNIST_DIR / name).is_file() for name in datasets.SHA256) and not os.environ.get("CI"),
    reason=f"the MNIST files are not in {MNIST_DIR} (set DIGITNET_DATA_DIR)",
)


#: The real pooch.retrieve, before the `offline` fixture replaces it.
REAL_RETRIEVE = pooch.retrieve


@pytest.fixture(autouse=True)
def sleeps(monkeypatch):
    """The pauses between download attempts, in seconds, recorded instead of slept."""
    pauses = []
    monkeypatch.setattr(datasets, "_sleep", pauses.append)
    return pauses


@pytest.fixture(autouse=True)
def offline(monkeypatch, tmp_path, mnist_folder):
    """No network, an empty cache in tmp_path, DIGITNET_DATA_DIR at the real files."""

    def no_download(*args, **kwargs):
        pytest.fail(f"a test tried to download: pooch.retrieve{args}")

    cache = tmp_path / "cache"
    monkeypatch.setattr(pooch, "retrieve", no_download)
    monkeypatch.setattr(datasets, "cache_dir", lambda: cache)
    return cache


def idx_bytes(array, magic=None):
    """`array` (uint8) in the IDX format."""
    array = np.asarray(array, dtype=np.uint8)
    magic = bytes([0, 0, 8, array.ndim]) if magic is None else magic
    dims = b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return magic + dims + array.tobytes()


def write(path, data, compress=False):
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


# --- read_idx ---------------------------------------------------------------


@pytest.mark.parametrize("compress", [False, True])
def test_read_idx_images_and_labels(tmp_path, compress):
    images = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    labels = np.array([3, 1, 4, 1, 5], dtype=np.uint8)
    # the file names say nothing: gzip is recognised by its magic bytes
    got_images = read_idx(write(tmp_path / "a.idx", idx_bytes(images), compress))
    got_labels = read_idx(write(tmp_path / "b.gz", idx_bytes(labels), compress))
    np.testing.assert_array_equal(got_images, images)
    np.testing.assert_array_equal(got_labels, labels)
    assert got_images.dtype == got_labels.dtype == np.uint8
    got_images[0, 0, 0] = 9  # a writable array
    got_images = read_idx(str(tmp_path / "a.idx"))  # a str path works too
    assert got_images[0, 0, 0] == 0


@needs_mnist
def test_read_idx_raw_mnist_file(tmp_path):
    raw = tmp_path / "t10k-labels-idx1-ubyte"
    raw.write_bytes(gzip.decompress((MNIST_DIR / TEST_LABELS).read_bytes()))
    labels = read_idx(raw)
    np.testing.assert_array_equal(labels, read_idx(MNIST_DIR / TEST_LABELS))
    assert labels.shape == (10_000,)


@pytest.mark.parametrize("compress", [False, True])
@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "fewer than the 4-byte magic number"),
        (b"\x00\x00\x08", "fewer than the 4-byte magic number"),
        (idx_bytes([1, 2], magic=b"\x00\x00\x09\x01"), "magic number is 0x00000901"),  # int8
        (idx_bytes([[1, 2]], magic=b"\x00\x00\x08\x02"), "magic number is 0x00000802"),
        (b"PK\x03\x04" + bytes(20), "magic number is 0x504B0304"),
        (idx_bytes([1, 2, 3])[:6], "header ends after 6 bytes"),
        (idx_bytes(np.zeros((4, 28, 28)))[:-1], "only 3,135 follow"),
        (idx_bytes(np.zeros((4, 28, 28))) + b"\x00", "more data follows the 3,136 bytes"),
        (idx_bytes([1, 2, 3]) + b"trailing", "more data follows the 3 bytes"),
    ],
)
def test_read_idx_rejects_bad_files(tmp_path, data, message, compress):
    path = write(tmp_path / "bad-file", data, compress)
    with pytest.raises(ValueError, match=message) as error:
        read_idx(path)
    assert str(path) in str(error.value)


def test_read_idx_huge_claim_fails_without_allocating(tmp_path):
    """A header claiming 10^12 bytes is refused before anything is read or allocated."""
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (10**6, 1000, 1000))
    path = write(tmp_path / "huge", header + bytes(100))
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match=r"claims shape \(1000000, 1000, 1000\)"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000


def test_read_idx_large_claim_reads_only_what_is_there(tmp_path):
    """A claim under the cap but far beyond the data: only the actual bytes are read."""
    header = bytes([0, 0, 8, 3]) + b"".join(n.to_bytes(4, "big") for n in (1000, 500, 500))
    path = write(tmp_path / "short", header + bytes(1000), compress=True)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="truncated.*only 1,000 follow"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000_000  # a few read buffers, not the 250 MB claimed


@pytest.mark.parametrize("cut", ["truncated", "corrupt", "bad-crc"])
def test_read_idx_bad_gzip(tmp_path, cut):
    data = gzip.compress(idx_bytes(np.arange(5000) % 256))
    if cut == "truncated":
        data = data[: len(data) // 2]
    elif cut == "corrupt":
        data = data[:10] + bytes(b ^ 0xFF for b in data[10:30]) + data[30:]
    else:  # the CRC-32 in the gzip trailer
        data = data[:-8] + bytes([data[-8] ^ 1]) + data[-7:]
    path = write(tmp_path / "labels.gz", data)
    with pytest.raises(ValueError, match="could not be decompressed") as error:
        read_idx(path)
    assert str(path) in str(error.value)


def test_read_idx_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no-such-file"):
        read_idx(tmp_path / "no-such-file")


# --- load_mnist -------------------------------------------------------------


@needs_mnist
@pytest.mark.parametrize(
    "split, n, counts", [("train", 60_000, TRAIN_COUNTS), ("test", 10_000, TEST_COUNTS)]
)
def test_load_mnist(split, n, counts, offline):
    images, labels = load_mnist(split, download=False)
    assert images.shape == (n, 28, 28) and labels.shape == (n,)
    assert images.dtype == labels.dtype == np.uint8
    assert np.bincount(labels).tolist() == counts
    assert images.max() == 255 and images.min() == 0
    assert not offline.exists()  # the cache was never created


@needs_mnist
def test_load_mnist_known_test_labels():
    assert load_mnist("test")[1][:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]


@pytest.mark.parametrize("split", ["validation", "Train", "", None, 0, ["test"]])
def test_load_mnist_bad_split(split):
    with pytest.raises(ValueError, match="split must be 'train' or 'test'"):
        load_mnist(split)


def test_load_mnist_bad_download_flag():
    with pytest.raises(TypeError, match="download must be True or False"):
        load_mnist("test", download="no")


def test_missing_files_without_download(monkeypatch, tmp_path, offline):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(empty))
    with pytest.raises(FileNotFoundError) as error:
        load_mnist("test", download=False)
    message = str(error.value)
    assert TEST_IMAGES in message and "DIGITNET_DATA_DIR" in message
    assert "t10k-images-idx3-ubyte " in message and "t10k-images.idx3-ubyte" in message
    assert str(empty) in message and str(offline) in message and "download=True" in message

    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    with pytest.raises(FileNotFoundError, match="DIGITNET_DATA_DIR is not set"):
        load_mnist("test", download=False)


def test_data_dir_that_is_not_a_folder(monkeypatch, tmp_path):
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(tmp_path / "typo"))
    with pytest.raises(FileNotFoundError, match="DIGITNET_DATA_DIR is set to .*typo.*not a folder"):
        load_mnist("test")


@needs_mnist
def test_wrong_checksum_in_data_dir(monkeypatch, tmp_path, offline):
    bad, actual = corrupt_copy(MNIST_DIR, tmp_path / "data", TEST_FILES, bad=TEST_IMAGES)
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(tmp_path / "data"))
    # a good copy in the cache must not be used instead: the error is raised
    corrupt_copy(MNIST_DIR, offline, TEST_FILES, bad=TEST_LABELS)
    shutil.copyfile(MNIST_DIR / TEST_IMAGES, offline / TEST_IMAGES)
    with pytest.raises(ValueError) as error:
        load_mnist("test")
    message = str(error.value)
    assert str(bad) in message and actual in message
    assert datasets.SHA256[TEST_IMAGES] in message
    assert "point DIGITNET_DATA_DIR" in message


@needs_mnist
def test_wrong_checksum_in_cache(monkeypatch, offline):
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    bad, actual = corrupt_copy(MNIST_DIR, offline, TEST_FILES, bad=TEST_LABELS)
    with pytest.raises(ValueError) as error:
        load_mnist("test")
    message = str(error.value)
    assert f"delete {bad}" in message and actual in message
    assert datasets.SHA256[TEST_LABELS] in message
    assert bad.exists()  # not deleted behind the user's back


@needs_mnist
def test_cache_used_when_data_dir_lacks_files(monkeypatch, tmp_path, offline):
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(tmp_path / "empty"))
    offline.mkdir()
    for name in (TEST_IMAGES, TEST_LABELS):
        shutil.copyfile(MNIST_DIR / name, offline / name)
    images, labels = load_mnist("test", download=False)
    assert images.shape == (10_000, 28, 28) and np.bincount(labels).tolist() == TEST_COUNTS


def decompress_into(folder, names, style):
    """Decompress the MNIST files `names` (``*.gz``) from MNIST_DIR into `folder`.

    `style` names them as gunzip does (``t10k-images-idx3-ubyte``), with a dot as
    the original site and Kaggle do (``t10k-images.idx3-ubyte``), or keeps the
    ``.gz`` name, as a browser that decompresses a download may.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in names:
        raw = name.removesuffix(".gz")
        target = {"gunzip": raw, "dotted": raw.replace("-idx", ".idx"), "gz-name": name}[style]
        paths.append(folder / target)
        paths[-1].write_bytes(gzip.decompress((MNIST_DIR / name).read_bytes()))
    return paths


@needs_mnist
@pytest.mark.parametrize("style", ["gunzip", "dotted", "gz-name"])
def test_uncompressed_files_in_data_dir(monkeypatch, tmp_path, offline, style):
    expected = load_mnist("test", download=False)
    images_path, _ = decompress_into(tmp_path / "data", TEST_FILES, style)
    assert images_path.read_bytes()[:4] == b"\x00\x00\x08\x03"   # really uncompressed
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(tmp_path / "data"))
    images, labels = load_mnist("test", download=False)
    np.testing.assert_array_equal(images, expected[0])
    np.testing.assert_array_equal(labels, expected[1])
    assert not offline.exists()  # nothing was downloaded, not even tried


@needs_mnist
def test_all_four_uncompressed_files_are_local_and_load(monkeypatch, tmp_path, offline):
    folder = tmp_path / "data"
    decompress_into(folder, datasets.MNIST_FILES["train"], "dotted")
    decompress_into(folder, TEST_FILES, "gunzip")
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(folder))
    assert datasets.mnist_is_local()
    images, labels = load_mnist("train", download=False)   # the pinned sums of both...
    assert images.shape == (60_000, 28, 28) and np.bincount(labels).tolist() == TRAIN_COUNTS
    images, labels = load_mnist("test", download=False)    # ...splits are right
    assert np.bincount(labels).tolist() == TEST_COUNTS


@needs_mnist
@pytest.mark.parametrize("style", ["gunzip", "dotted"])
def test_corrupt_uncompressed_file_in_data_dir(monkeypatch, tmp_path, offline, style):
    _, labels_path = decompress_into(tmp_path / "data", TEST_FILES, style)
    data = flip_byte(labels_path.read_bytes(), mask=0x01)
    labels_path.write_bytes(data)
    monkeypatch.setenv(datasets.DATA_DIR_VARIABLE, str(tmp_path / "data"))
    with pytest.raises(ValueError) as error:
        load_mnist("test", download=False)
    message = str(error.value)
    assert str(labels_path) in message and "(decompressed)" in message
    assert hashlib.sha256(data).hexdigest() in message
    assert datasets.SHA256_UNCOMPRESSED["t10k-labels-idx1-ubyte"] in message
    assert not offline.exists()


def http_error(status):
    """The error requests raises for an HTTP answer with `status` (raise_for_status)."""
    response = requests.Response()
    response.status_code = status
    return requests.HTTPError(f"{status} Error for url: https://example.org/", response=response)


def scripted_retrieve(calls, script=None):
    """A stand-in for pooch.retrieve: source i of MIRRORS answers as ``script[i]`` says.

    ``script[i]`` lists the answers to the 1st, 2nd, ... request for one file at
    source i, the last one repeated: "ok" copies the real file from MNIST_DIR into
    the cache, "corrupt" a copy with one byte changed, an exception is raised.
    Sources not in `script` answer "ok". Every request's URL is appended to `calls`.
    """
    script = script or {}

    def retrieve(url, known_hash, fname, path, progressbar=False):
        assert known_hash == "sha256:" + datasets.SHA256[fname]
        assert Path(path) == datasets.cache_dir()
        before = calls.count(url)
        calls.append(url)
        source = next(i for i, m in enumerate(datasets.MIRRORS) if url == m + fname)
        answers = script.get(source, ["ok"])
        answer = answers[min(before, len(answers) - 1)]
        if isinstance(answer, BaseException):
            raise answer
        data = (MNIST_DIR / fname).read_bytes()
        if answer == "corrupt":
            data = flip_byte(data, 100)
        Path(path).mkdir(parents=True, exist_ok=True)
        (Path(path) / fname).write_bytes(data)
        return str(Path(path) / fname)

    return retrieve


def at(source, name=TEST_IMAGES, times=1):
    """The URL of file `name` at source number `source`, `times` over (a list)."""
    return [datasets.MIRRORS[source] + name] * times


ATTEMPTS = 1 + len(datasets.RETRY_DELAYS)


def test_retry_delays_double():
    assert datasets.RETRY_DELAYS == (1, 2, 4)


@needs_mnist
def test_download_into_cache(monkeypatch, offline, sleeps):
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    calls = []
    monkeypatch.setattr(pooch, "retrieve", scripted_retrieve(calls))
    images, labels = load_mnist("test")
    assert np.bincount(labels).tolist() == TEST_COUNTS
    assert calls == at(0) + at(0, TEST_LABELS)
    assert sleeps == []
    assert sorted(path.name for path in offline.iterdir()) == sorted(TEST_FILES)
    # a second call finds the cached files and downloads nothing
    calls.clear()
    load_mnist("test")
    assert calls == []


@needs_mnist
def test_transient_failures_are_retried_with_growing_pauses(monkeypatch, offline, sleeps, caplog):
    """No connection, a timeout, HTTP 503: the same source again after 1, 2 and 4 s."""
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    calls = []
    script = {0: [ConnectionError("no route to host"), requests.Timeout("read timed out"),
                  http_error(503), "ok"]}
    monkeypatch.setattr(pooch, "retrieve", scripted_retrieve(calls, script))
    with caplog.at_level(logging.INFO, logger="digitnet.datasets"):
        load_mnist("test")
    assert calls[:ATTEMPTS] == at(0, times=ATTEMPTS)   # the 4th attempt at source 0 succeeds
    assert sleeps[:3] == [1, 2, 4]
    # one line per attempt: the file, the attempt, the source and why it failed
    lines = [record.getMessage() for record in caplog.records if TEST_IMAGES in record.getMessage()]
    assert len(lines) == ATTEMPTS and all("\n" not in line for line in lines)
    source = datasets.MIRRORS[0]
    assert lines[0] == (f"{TEST_IMAGES}: attempt 1 of 4 at {source} failed: no route to host; "
                        "trying again in 1 s")
    assert "attempt 2 of 4" in lines[1] and "read timed out" in lines[1] and "in 2 s" in lines[1]
    assert "attempt 3 of 4" in lines[2] and "503" in lines[2] and "in 4 s" in lines[2]
    assert lines[3].startswith(f"{TEST_IMAGES}: downloaded from {source} (attempt 4 of 4)")


@needs_mnist
def test_a_source_that_keeps_failing_is_left_after_its_attempts(monkeypatch, offline, sleeps):
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    calls = []
    monkeypatch.setattr(pooch, "retrieve", scripted_retrieve(calls, {0: [http_error(503)]}))
    load_mnist("test")
    assert calls[:ATTEMPTS + 1] == at(0, times=ATTEMPTS) + at(1)
    assert sleeps == [1, 2, 4] * 2    # the same again for the labels file


@needs_mnist
@pytest.mark.parametrize("lasting", [
    "corrupt",                        # the wrong SHA-256: other bytes will not come
    http_error(404),
    requests.exceptions.SSLError("certificate verify failed"),
], ids=["wrong-checksum", "http-404", "ssl"])
def test_lasting_failures_move_on_at_once(monkeypatch, offline, sleeps, lasting):
    """Source 0 fails for good, source 1 for a moment: only source 1 is asked again."""
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    calls = []
    script = {0: [lasting], 1: [http_error(503), "ok"]}
    monkeypatch.setattr(pooch, "retrieve", scripted_retrieve(calls, script))
    images, labels = load_mnist("test")
    assert np.bincount(labels).tolist() == TEST_COUNTS
    assert calls[:3] == at(0) + at(1, times=2)
    assert sleeps[:1] == [1]
    assert len(sleeps) == 2   # one pause per file, both at source 1


@needs_mnist
def test_third_source_used_when_the_first_two_fail(monkeypatch, offline, sleeps):
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    calls = []
    script = {0: [ConnectionError("no route to host")], 1: [http_error(503)]}
    monkeypatch.setattr(pooch, "retrieve", scripted_retrieve(calls, script))
    images, labels = load_mnist("test")
    assert np.bincount(labels).tolist() == TEST_COUNTS
    for name in TEST_FILES:
        assert [url for url in calls if url.endswith(name)] == (
            at(0, name, ATTEMPTS) + at(1, name, ATTEMPTS) + at(2, name))
    assert datasets.MIRRORS[2] == "https://azureopendatastorage.blob.core.windows.net/mnist/"
    hosts = {mirror.split("/")[2] for mirror in datasets.MIRRORS}
    assert len(hosts) == 3   # three independent hosts


@needs_mnist
def test_download_with_wrong_checksum_everywhere(monkeypatch, offline, sleeps):
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    calls = []
    script = dict.fromkeys(range(len(datasets.MIRRORS)), ["corrupt"])
    monkeypatch.setattr(pooch, "retrieve", scripted_retrieve(calls, script))
    with pytest.raises(datasets.DownloadError) as error:
        load_mnist("test")
    message = str(error.value)
    assert TEST_IMAGES in message and datasets.SHA256[TEST_IMAGES] in message
    assert "DIGITNET_DATA_DIR" in message
    assert calls == [m + TEST_IMAGES for m in datasets.MIRRORS]   # each source once
    assert sleeps == []
    assert list(offline.iterdir()) == []     # no bad file kept


def test_download_with_no_network(monkeypatch, offline, sleeps):
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)

    def unreachable(url, **kwargs):
        raise ConnectionError(f"cannot reach {url}")

    monkeypatch.setattr(pooch, "retrieve", unreachable)
    with pytest.raises(datasets.DownloadError, match="from any of its 3 sources") as error:
        load_mnist("test")
    assert isinstance(error.value, ConnectionError)   # as before, for code that catches that
    assert all(f"{mirror}{TEST_IMAGES} (4 attempts): cannot reach" in str(error.value)
               for mirror in datasets.MIRRORS)
    assert sleeps == [1, 2, 4] * len(datasets.MIRRORS)


@needs_mnist
def test_interrupted_download_leaves_nothing_behind(monkeypatch, offline, sleeps):
    """The real pooch.retrieve, its download cut off halfway once, then whole."""
    monkeypatch.delenv(datasets.DATA_DIR_VARIABLE)
    monkeypatch.setattr(pooch, "retrieve", REAL_RETRIEVE)
    seen = []

    def downloader(url, output_file, pooch_object):
        data = (MNIST_DIR / url.rsplit("/", 1)[1]).read_bytes()
        others = sorted(path.name for path in offline.iterdir() if path != Path(output_file))
        seen.append((url, others))
        with open(output_file, "wb") as file:
            if len(seen) == 1:
                file.write(data[: len(data) // 2])
                raise requests.exceptions.ChunkedEncodingError("connection broken mid-file")
            file.write(data)

    monkeypatch.setattr(pooch.core, "choose_downloader", lambda url, progressbar: downloader)
    images, labels = load_mnist("test")
    assert np.bincount(labels).tolist() == TEST_COUNTS
    assert [url for url, _ in seen[:2]] == at(0, times=2)
    assert sleeps[:1] == [1]
    # the half-written file was a temporary one beside the target, gone before the next attempt
    assert seen[1][1] == []
    assert sorted(path.name for path in offline.iterdir()) == sorted(TEST_FILES)


@pytest.mark.parametrize("error, transient", [
    (ConnectionError("refused"), True),
    (TimeoutError("timed out"), True),
    (requests.ConnectionError("no route"), True),
    (requests.Timeout("read timed out"), True),
    (requests.exceptions.ChunkedEncodingError("broken"), True),
    (http_error(500), True),
    (http_error(503), True),
    (http_error(429), True),
    (http_error(408), True),
    (http_error(404), False),
    (http_error(403), False),
    (requests.exceptions.SSLError("certificate verify failed"), False),
    (PermissionError("cache folder not writable"), False),
])
def test_which_failures_are_transient(error, transient):
    assert datasets._is_transient(error) is transient


# --- the packaged sample ----------------------------------------------------


def test_load_sample():
    images, labels = load_sample()
    assert images.shape == (1000, 28, 28) and labels.shape == (1000,)
    assert images.dtype == labels.dtype == np.uint8
    assert set(np.unique(labels)) == set(range(10))
    assert images.max() == 255


def test_sample_file_is_small():
    size = (Path(datasets.__file__).parent / "data" / "mnist_sample.npz").stat().st_size
    assert size < 300_000


@needs_mnist
def test_sample_is_first_1000_test_images():
    images, labels = load_mnist("test", download=False)
    sample_images, sample_labels = load_sample()
    np.testing.assert_array_equal(sample_images, images[:1000])
    np.testing.assert_array_equal(sample_labels, labels[:1000])


@needs_mnist
def test_make_sample(tmp_path):
    path = make_sample(tmp_path / "sample.npz")
    with np.load(path, allow_pickle=False) as archive:
        np.testing.assert_array_equal(archive["images"], load_sample()[0])
        np.testing.assert_array_equal(archive["labels"], load_sample()[1])
    with pytest.raises(FileExistsError, match="overwrite=True"):
        make_sample(path)
    assert make_sample(path, overwrite=True) == path
