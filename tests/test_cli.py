"""The ``digitnet`` command, run in-process through ``main([...])``."""

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitnet import Network
from digitnet.cli import RECIPES, main
from digitnet.datasets import SHA256
from digitnet.pretrained import pretrained_recipe

from conftest import MNIST_DIR, assert_same_network, corrupt_copy

# Every test reads MNIST from the real folder (never a download), unless it says otherwise.
pytestmark = pytest.mark.usefixtures("mnist_folder")


@pytest.fixture
def weights(tmp_path):
    path = tmp_path / "net.npz"
    Network((784, 16, 16, 10), seed=0).save(path)
    return path


def test_help_of_every_subcommand(capsys):
    assert main(["--help"]) == 0
    assert "train" in capsys.readouterr().out
    for command in ("train", "evaluate", "predict", "info", "data"):
        assert main([command, "--help"]) == 0
        assert "usage: digitnet " + command in capsys.readouterr().out


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    assert main(["fly"]) == 2
    assert main(["train", "--out", "x.npz", "--epochs", "-1"]) == 2
    assert "at least 0" in capsys.readouterr().err
    assert main(["train", "--out", "x.npz", "--cost", "entropy"]) == 2


def test_train_writes_weights_and_record(tmp_path, capsys):
    out = tmp_path / "small.npz"
    argv = ["train", "--out", str(out), "--epochs", "3", "--limit", "2000",
            "--validation", "1000", "--batch-size", "10", "--cost", "cross-entropy",
            "--eta", "1.0", "--seed", "3", "--quiet"]
    assert main(argv) == 0
    shown = capsys.readouterr().out
    assert "2,000 MNIST training images" in shown and "validation accuracy" in shown
    net = Network.load(out)
    assert net.sizes == (784, 16, 16, 10) and net.dtype == np.float64
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["command"] == "digitnet " + " ".join(argv)
    assert record["epochs"] == 3 and record["batch_size"] == 10 and record["seed"] == 3
    assert record["training_images"] == "MNIST training images 0 to 1999"
    assert record["validation_images"] == "MNIST training images 59000 to 59999"
    assert 0.7 < record["validation_accuracy"] <= 1
    assert record["history"]["validation_accuracy"][-1] == record["validation_accuracy"]
    assert record["digitnet_version"]

    # the same command again: refused without --force, identical weights with it
    assert main(argv) == 1
    assert "exists; pass --force" in capsys.readouterr().err
    assert main([*argv, "--force"]) == 0
    assert_same_network(net, Network.load(out))


def test_train_float32_and_recipe_defaults(tmp_path, capsys):
    out = tmp_path / "f32.npz"
    argv = ["train", "--recipe", "pretrained", "--out", str(out), "--epochs", "1",
            "--limit", "500", "--validation", "0", "--dtype", "float32", "--shift", "0", "-q"]
    assert main(argv) == 0
    capsys.readouterr()
    assert Network.load(out).dtype == np.float32
    record = json.loads(out.with_suffix(".json").read_text())
    assert record["validation_accuracy"] is None and record["validation_images"] is None
    for name in ("eta", "cost", "lmbda", "schedule", "batch_size", "momentum"):
        assert record[name] == RECIPES["pretrained"][name]


def test_train_shows_progress_and_epoch_accuracy(tmp_path, capsys):
    out = tmp_path / "p.npz"
    assert main(["train", "--out", str(out), "--epochs", "2", "--limit", "300",
                 "--validation", "300"]) == 0
    captured = capsys.readouterr()
    assert "epoch 2/2" in captured.out + captured.err
    assert "validation accuracy" in captured.out + captured.err


def test_train_refuses_bad_output_and_sizes(tmp_path, capsys):
    assert main(["train", "--out", str(tmp_path / "no" / "net.npz"), "--epochs", "1"]) == 1
    assert "does not exist" in capsys.readouterr().err
    assert main(["train", "--out", str(tmp_path / "net.json"), "--epochs", "1"]) == 1
    assert "must name a .npz file" in capsys.readouterr().err
    assert main(["train", "--out", str(tmp_path / "net.npz"), "--sizes", "784,16,9"]) == 1
    assert "end with 10" in capsys.readouterr().err
    assert main(["train", "--out", str(tmp_path / "net.npz"), "--sizes", "784,x,10"]) == 2
    assert "784,16,16,10" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_packaged_recipe_is_a_train_command():
    recipe = pretrained_recipe()
    assert recipe["command"].startswith("digitnet train --recipe pretrained")
    for name, value in RECIPES["pretrained"].items():
        if name != "validation" or "--validation" not in recipe["command"]:
            assert recipe[name] == value, name


def test_info(weights, capsys):
    assert main(["info", "--weights", str(weights)]) == 0
    shown = capsys.readouterr().out
    assert "13,002 parameters" in shown and "12,544" in shown
    assert main(["info"]) == 0
    shown = capsys.readouterr().out
    assert "Network(sizes=(784, 16, 16, 10)" in shown and "made by: digitnet train" in shown


def test_evaluate_pretrained(capsys):
    assert main(["evaluate"]) == 0
    shown = capsys.readouterr().out
    lines = shown.splitlines()
    assert "of 10,000 test images right" in lines[0]
    accuracy = float(lines[0].rsplit(" ", 1)[1].rstrip("%")) / 100
    assert accuracy >= 0.96
    assert len(lines) == 12 and lines[2].split()[:2] == ["0", "980"]


def test_predict(tmp_path, weights, capsys):
    path = write_one(tmp_path / "one.png")
    assert main(["predict", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("digit: 1 (confidence 0.")
    assert lines[1] == "output activations (confidence of each digit):"
    assert len(lines) == 12 and lines[3].endswith("<-") and lines[3].startswith("  1  ")
    assert main(["predict", str(path), "--weights", str(weights)]) in (0, 3)
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(("digit: ", "not sure (best guess ", "no digit ("))


def test_predict_says_no_digit_with_its_own_exit_status(tmp_path, capsys):
    """A blank picture and a lone dot are "no digit" (exit 3), not "digit: 5" (exit 0)."""
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.fromarray(np.full((64, 64), 255, dtype=np.uint8)).save(blank)
    dot = np.full((400, 400), 255, dtype=np.uint8)
    dot[190:201, 200:211] = 0
    Image.fromarray(dot).save(tmp_path / "dot.png")
    for name, why in [("blank.png", "the picture is blank"), ("dot.png", "a dot or a blob")]:
        assert main(["predict", str(tmp_path / name)]) == 3
        out = capsys.readouterr().out
        assert out.splitlines()[0].startswith(f"no digit ({why}")


def test_predict_many_pictures_and_folders(tmp_path, capsys):
    from PIL import Image

    folder = tmp_path / "pictures"
    folder.mkdir()
    write_one(folder / "a-one.png")
    Image.fromarray(np.full((64, 64), 255, dtype=np.uint8)).save(folder / "b-blank.png")
    (folder / "notes.txt").write_text("not a picture")          # skipped: not a picture
    (folder / ".hidden.png").write_bytes(b"")                   # skipped: hidden
    other = write_one(tmp_path / "other.jpg")
    assert main(["predict", str(folder), str(other)]) == 3       # one picture has no digit
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(": ")[0] for line in lines] == [
        str(folder / "a-one.png"), str(folder / "b-blank.png"), str(other)]
    assert lines[0].endswith(")") and ": digit: 1 (confidence" in lines[0]
    assert "no digit (the picture is blank)" in lines[1]
    assert len(lines) == 3                                        # no activations for many

    (tmp_path / "empty").mkdir()
    assert main(["predict", str(tmp_path / "empty")]) == 1
    assert "holds no pictures" in capsys.readouterr().err


def test_predict_json(tmp_path, capsys):
    one = write_one(tmp_path / "one.png")
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    assert main(["predict", "--json", str(one), str(bad)]) == 1  # a picture failed
    captured = capsys.readouterr()
    results = json.loads(captured.out)
    assert [r["path"] for r in results] == [str(one), str(bad)]
    assert results[0]["status"] == "digit" and results[0]["digit"] == 1
    assert results[0]["best"] == 1 and 0.3 <= results[0]["confidence"] <= 1
    assert len(results[0]["output"]) == 10 and results[0]["reason"] == "sure"
    assert results[1]["status"] == "error" and results[1]["error"].count(str(bad)) == 1
    assert captured.err.count(str(bad)) == 1 and "Traceback" not in captured.err
    assert main(["predict", str(one), str(tmp_path / "none.png")]) == 1
    assert capsys.readouterr().err.count("none.png") == 1   # the path once


def test_predict_notes_pillows_warnings_in_one_line(tmp_path, monkeypatch, capsys):
    from PIL import Image

    path = write_one(tmp_path / "big.png")
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 2000)        # 56x56 is "big" now
    assert main(["predict", str(path)]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("digitnet predict: note: ")
    assert "megapixels" in err and "Warning" not in err


def test_predict_shows_progress_for_many_pictures(tmp_path, monkeypatch, capsys):
    from digitnet import cli

    for k in range(3):
        write_one(tmp_path / f"{k}.png")
    shown = []
    monkeypatch.setattr(cli, "PROGRESS_FROM", 2)
    real_tqdm = __import__("tqdm").tqdm

    def spy(*args, **kwargs):
        shown.append(kwargs.get("disable"))
        return real_tqdm(*args, **kwargs)

    spy.write = real_tqdm.write
    monkeypatch.setattr("tqdm.tqdm", spy)
    assert main(["predict", str(tmp_path)]) == 0
    assert main(["predict", "--quiet", str(tmp_path)]) == 0
    assert shown == [None, True]     # None: shown when stderr is a terminal (tqdm decides)


def test_predict_without_the_images_extra_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    path = write_one(tmp_path / "one.png")
    monkeypatch.setattr("digitnet.extras.find_spec", lambda name: None)
    assert main(["predict", str(path)]) == 1
    err = capsys.readouterr().err
    assert 'pip install "digitnet[images]"' in err and "Traceback" not in err


@pytest.mark.parametrize("command", [["info", "--weights"], ["evaluate"], ["predict", "{png}", "--weights"]])
def test_missing_or_bad_weights_file(tmp_path, command, capsys):
    png = tmp_path / "blank.png"
    from PIL import Image

    Image.fromarray(np.zeros((28, 28), dtype=np.uint8)).save(png)
    command = [part.format(png=png) for part in command]
    assert main([*command, str(tmp_path / "missing.npz")]) == 1
    err = capsys.readouterr().err
    assert "missing.npz not found" in err and "Traceback" not in err
    bad = tmp_path / "bad.npz"
    bad.write_text("not weights")
    assert main([*command, str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read weights" in err


def test_missing_or_bad_image(tmp_path, capsys):
    assert main(["predict", str(tmp_path / "none.png")]) == 1
    assert "none.png not found" in capsys.readouterr().err
    bad = tmp_path / "bad.png"
    bad.write_text("not an image")
    assert main(["predict", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot read the image" in err
    assert err.count(str(bad)) == 1                  # the path once, not twice
    heic = tmp_path / "photo.heic"
    heic.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(64))
    assert main(["predict", str(heic)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HEIC" in err and "JPEG or PNG" in err


def test_missing_data_folder(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DIGITNET_DATA_DIR", str(tmp_path / "nowhere"))
    assert main(["evaluate"]) == 1
    err = capsys.readouterr().err
    assert "cannot load the MNIST test set" in err and err.count("\n") == 1


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "digitnet", "--version"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout.startswith("digitnet ")


def write_one(path):
    """A PNG of a dark "1" on white paper at `path` (as in test_predict)."""
    from PIL import Image

    image = np.full((56, 56), 255, dtype=np.uint8)
    image[8:48, 26:31] = 0
    Image.fromarray(image).save(path)
    return path


@pytest.mark.parametrize("buffered", [True, False])
@pytest.mark.parametrize("argv", [["info"], ["--help"], ["predict", "{png}"]])
def test_closed_output_pipe_exits_quietly(tmp_path, argv, buffered):
    """Output into a pipe whose reader has gone (`| true`, `| head`): no traceback, exit 141.

    Buffered, the write fails when main() flushes; unbuffered (PYTHONUNBUFFERED), at
    the first print. argparse itself discards a failed write of --help, which then
    exits 0 unbuffered.
    """
    argv = [part.format(png=write_one(tmp_path / "one.png")) for part in argv]
    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)   # closed before the command starts, so its first write fails
    try:
        result = subprocess.run([sys.executable, "-m", "digitnet", *argv], stdout=write_end,
                                stderr=subprocess.PIPE, text=True, check=False, env=env)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == (0 if argv == ["--help"] and not buffered else 141)


def test_pipe_into_head_and_true(tmp_path):
    """The two pipelines of the bug report, through a shell and the installed script."""
    script = shlex.quote(str(Path(sys.executable).with_name("digitnet")))
    png = shlex.quote(str(write_one(tmp_path / "one.png")))
    for pipeline in (f"{script} info | true", f"{script} predict {png} | head -n 1"):
        result = subprocess.run(pipeline, shell=True, capture_output=True, text=True, check=False)
        assert result.stderr == "", pipeline
    assert len(result.stdout.splitlines()) == 1   # head's one line of predict's answer


def test_data_finds_and_checks_the_files(capsys):
    assert main(["data"]) == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "MNIST train: 60,000 images, every file checked against its SHA-256" in out
    assert "MNIST test: 10,000 images" in out
    assert "read from DIGITNET_DATA_DIR=" in out
    for name in SHA256:   # where each file is
        assert f"  {MNIST_DIR / name}\n" in out
    assert captured.err == ("digitnet data: the full MNIST data set is ready (4 files, 70,000 "
                            "images); the book will be built with it\n")


@pytest.fixture
def no_source(monkeypatch, tmp_path):
    """No MNIST on this machine, and every download source unreachable; returns the pauses."""
    import pooch

    import digitnet.datasets

    def unreachable(url, **kwargs):
        raise ConnectionError(f"cannot reach {url}")

    pauses = []
    monkeypatch.delenv("DIGITNET_DATA_DIR", raising=False)
    monkeypatch.setattr(digitnet.datasets, "cache_dir", lambda: tmp_path / "cache")
    monkeypatch.setattr(digitnet.datasets, "_sleep", pauses.append)
    monkeypatch.setattr(pooch, "retrieve", unreachable)
    return pauses


def test_data_or_sample_goes_on_with_a_note_when_every_source_fails(no_source, capsys):
    from digitnet.datasets import MIRRORS

    assert main(["data", "--or-sample"]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    # every attempt in a line of its own: which file, which attempt, which source, why
    attempts = [line for line in lines if " attempt " in line]
    assert len(attempts) == 4 * len(MIRRORS)
    first = f"{MIRRORS[0]}train-images-idx3-ubyte.gz"
    assert attempts[0] == (f"digitnet data: train-images-idx3-ubyte.gz: attempt 1 of 4 at "
                           f"{MIRRORS[0]} failed: cannot reach {first}; trying again in 1 s")
    assert attempts[-1].endswith("; no source left")
    assert no_source == [1, 2, 4] * len(MIRRORS)
    # then one note: what failed, what the book is built with, how to get the data later
    assert len(lines) == len(attempts) + 1
    note = lines[-1]
    assert note.startswith("digitnet data: note: could not download the MNIST file "
                           "train-images-idx3-ubyte.gz from any of its 3 sources (see the lines above)")
    assert "the book will be built with the 1,000-image sample" in note
    assert "run 'digitnet data' again" in note and "DIGITNET_DATA_DIR" in note


def test_data_without_or_sample_fails_when_every_source_fails(no_source, capsys):
    assert main(["data"]) == 1
    err = capsys.readouterr().err
    assert "digitnet data: error: cannot load the MNIST train set: could not download" in err
    assert "from any of its 3 sources" in err and "Try again later" in err
    assert "note:" not in err


def test_data_or_sample_still_fails_on_a_bad_local_file(tmp_path, monkeypatch, capsys):
    """The book would find that file and refuse it: no sample can save the build."""
    corrupt_copy(MNIST_DIR, tmp_path, sorted(SHA256), bad="train-labels-idx1-ubyte.gz")
    monkeypatch.setenv("DIGITNET_DATA_DIR", str(tmp_path))
    assert main(["data", "--or-sample"]) == 1
    err = capsys.readouterr().err
    assert "train-labels-idx1-ubyte.gz" in err and "SHA-256" in err and "note:" not in err


@pytest.mark.parametrize("path, line", [
    (".readthedocs.yaml", "digitnet data --or-sample"),
    (".binder/postBuild", "digitnet data --or-sample"),
])
def test_builds_go_on_with_the_sample(path, line):
    """Read the Docs and Binder fetch MNIST before the build, but a mirror outage fails neither."""
    text = (Path(__file__).resolve().parents[1] / path).read_text(encoding="utf-8")
    if path.endswith(".yaml"):
        import yaml

        assert yaml.safe_load(text)["build"]["jobs"]["pre_build"] == [line]
    else:
        assert line in text.splitlines()


def test_data_reports_a_bad_file(tmp_path, monkeypatch, capsys):
    corrupt_copy(MNIST_DIR, tmp_path, sorted(SHA256), bad="t10k-labels-idx1-ubyte.gz")
    monkeypatch.setenv("DIGITNET_DATA_DIR", str(tmp_path))
    assert main(["data"]) == 1
    err = capsys.readouterr().err
    assert "t10k-labels-idx1-ubyte.gz" in err and "SHA-256" in err


def test_sizes_are_checked_by_the_library(tmp_path, capsys):
    out = str(tmp_path / "net.npz")
    assert main(["train", "--out", out, "--sizes", "784"]) == 2
    assert "at least two layers" in capsys.readouterr().err
    assert main(["train", "--out", out, "--sizes", "784,0,10"]) == 2
    assert "sizes[1] must be a positive integer, got 0" in capsys.readouterr().err


def test_data_dir_hint_only_where_the_message_lacks_it(tmp_path, monkeypatch, capsys):
    import digitnet.datasets

    monkeypatch.delenv("DIGITNET_DATA_DIR", raising=False)
    monkeypatch.setattr(digitnet.datasets, "cache_dir", lambda: tmp_path)
    cached = tmp_path / "t10k-images-idx3-ubyte.gz"
    cached.write_bytes(b"not MNIST")  # a bad copy in the cache
    assert main(["evaluate"]) == 1
    err = capsys.readouterr().err
    assert "SHA-256" in err and "(set DIGITNET_DATA_DIR to a folder" in err
    assert "the .gz files or their decompressed contents" in err   # both forms are fine

    def no_network(name, folder):
        raise ConnectionError(f"could not download {name}; set DIGITNET_DATA_DIR to ...")

    cached.unlink()
    monkeypatch.setattr(digitnet.datasets, "_download", no_network)
    assert main(["evaluate"]) == 1
    err = capsys.readouterr().err
    assert "could not download" in err and "(set DIGITNET_DATA_DIR" not in err
