"""The book's figures. Each function draws on an Axes and returns it; none calls ``show()``.

Weights use a diverging colormap centred on zero (red for positive, blue for
negative, white for zero; ColorBrewer's RdBu, readable with the common kinds of
colour blindness), digits use grayscale with ink dark on white paper.
"""

import numpy as np

from ._checks import as_real_array, check_finite
from .activations import sigmoid

WEIGHTS_CMAP = "RdBu_r"
DIGIT_CMAP = "gray_r"


def _new_figure(*grid, figsize):
    """``plt.subplots``, with pyplot imported only when a figure is made.

    Importing this module stays cheap (Sphinx's viewcode imports it on every
    build of the book, even one that changes nothing).
    """
    import matplotlib.pyplot as plt

    return plt.subplots(*grid, figsize=figsize)


def _axes(ax, figsize):
    if ax is None:
        _, ax = _new_figure(figsize=figsize)
    return ax


def plot_sigmoid(ax=None, *, z_min=-10.0, z_max=10.0):
    """Draw ``σ(z)`` with its value 0.5 at ``z = 0`` and its limits 0 and 1 marked.

    Parameters
    ----------
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    z_min, z_max : float, default -10 and 10
        The range of weighted inputs ``z = S + b`` shown (weighted sum plus bias).

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from digitnet.plotting import plot_sigmoid
    >>> ax = plot_sigmoid()
    >>> ax.get_xlabel()
    'weighted input z = S + b'
    """
    if not z_min < z_max:
        raise ValueError(f"z_min must be less than z_max, got {z_min} and {z_max}")
    ax = _axes(ax, (6, 3.5))
    z = np.linspace(z_min, z_max, 401)
    ax.plot(z, sigmoid(z), color="C0", lw=2.5, label=r"$\sigma(z) = 1/(1+e^{-z})$")
    for level in (0.0, 1.0):
        ax.axhline(level, color="0.5", ls="--", lw=1)
    ax.plot([0], [0.5], "o", color="C3", zorder=3, label=r"$\sigma(0) = 0.5$")
    ax.annotate("limit 1 as z → +∞", (z_max, 1.0), xytext=(0, -14),
                textcoords="offset points", ha="right", color="0.3")
    ax.annotate("limit 0 as z → −∞", (z_min, 0.0), xytext=(0, 6),
                textcoords="offset points", ha="left", color="0.3")
    ax.set(xlabel="weighted input z = S + b", ylabel="activation σ(z)", xlim=(z_min, z_max),
           ylim=(-0.08, 1.08))
    ax.legend(loc="center right")
    ax.grid(alpha=0.3)
    return ax


def show_image(values, ax=None, *, kind="digit", title=None, colorbar=None, limit=None):
    """Show 784 numbers as the 28x28 image they belong to.

    Parameters
    ----------
    values : array_like, shape (28, 28) or (784,)
        Pixel activations (``kind="digit"``) or one neuron's incoming weights
        (``kind="weights"``).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    kind : {"digit", "weights"}
        ``"digit"``: grayscale, ink dark. ``"weights"``: a diverging colormap
        centred on zero, so positive and negative weights of equal size get
        equally strong colours.
    title : str, optional
        The axes title.
    colorbar : bool, optional
        Add a colorbar; by default only for weights.
    limit : float, optional
        For weights: the size shown at full colour, ``-limit`` full blue and
        ``+limit`` full red; larger weights are drawn at full colour too. By
        default the largest ``|weight|``, so that no weight is clipped -- but
        then one extreme weight can wash out all the others: a percentile of
        ``|weight|`` shows the pattern of the rest.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet.patterns import horizontal_edge
    >>> from digitnet.plotting import show_image
    >>> ax = show_image(horizontal_edge(), kind="weights")
    >>> ax.images[0].get_clim()     # symmetric around zero
    (-1.0, 1.0)
    >>> w = horizontal_edge() * 0.5
    >>> w[0, 0] = 8.0               # one extreme weight
    >>> ax = show_image(w, kind="weights", limit=float(np.percentile(np.abs(w), 99)))
    >>> ax.images[0].get_clim()
    (-0.5, 0.5)
    """
    image = check_finite(as_real_array(values, "values"), "values")
    if image.shape not in ((28, 28), (784,)):
        raise ValueError(f"values must have shape (28, 28) or (784,), got {image.shape}")
    image = image.reshape(28, 28)
    if limit is not None and not (np.isfinite(limit) and limit > 0):
        raise ValueError(f"limit must be a positive number, got {limit!r}")
    if kind == "weights":
        limit = float(limit or np.abs(image).max() or 1.0)
        style = dict(cmap=WEIGHTS_CMAP, vmin=-limit, vmax=limit)
    elif kind == "digit":
        style = dict(cmap=DIGIT_CMAP, vmin=0.0, vmax=max(1.0, float(image.max())))
    else:
        raise ValueError(f"kind must be 'digit' or 'weights', got {kind!r}")
    ax = _axes(ax, (3.2, 3.2))
    shown = ax.imshow(image, interpolation="nearest", **style)
    ax.set_xticks([])
    ax.set_yticks([])
    if title is not None:
        ax.set_title(title)
    if colorbar if colorbar is not None else kind == "weights":
        ax.figure.colorbar(shown, ax=ax, fraction=0.046, pad=0.04)
    return ax


def plot_activations(values, ax=None, *, labels=None, title=None):
    """Bars of one layer's activations, the largest highlighted.

    Parameters
    ----------
    values : array_like, shape (n,)
        Activations between 0 and 1.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure is made if omitted.
    labels : sequence of str, optional
        One label per bar; defaults to 0, 1, ..., n-1 (the digits, for the
        output layer).
    title : str, optional
        The axes title.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from digitnet.plotting import plot_activations
    >>> ax = plot_activations([0.01, 0.02, 0.92])
    >>> len(ax.patches)
    3
    """
    a = check_finite(as_real_array(values, "values"), "values")
    if a.ndim != 1:
        raise ValueError(f"values must be one layer's activations (1-D), got shape {a.shape}")
    labels = [str(i) for i in range(a.size)] if labels is None else [str(x) for x in labels]
    if len(labels) != a.size:
        raise ValueError(f"got {len(labels)} labels for {a.size} activations")
    ax = _axes(ax, (max(3.0, 0.45 * a.size), 2.8))
    colors = ["C0"] * a.size
    if a.size:  # no bars, no winner (argmax of nothing raises)
        colors[int(np.argmax(a))] = "C1"
    ax.bar(range(a.size), a, color=colors)
    ax.set_xticks(range(a.size), labels)
    ax.set(ylim=(0, 1.05), ylabel="activation")
    if title is not None:
        ax.set_title(title)
    return ax


#: The panels of :func:`plot_preparation`, in order.
PREPARATION_STEPS = (
    "the picture",
    "the paper, estimated",
    "how far from the paper",
    "the digit's strokes",
    "the ink, rescaled",
    "what the network sees",
)


def plot_preparation(picture, axes=None):
    """Draw each step of preparing a picture for the network, left to right.

    The panels are :data:`PREPARATION_STEPS`: the picture; the paper's gray
    level under it, as :func:`digitnet.ink.find_ink` estimates it; how far
    each pixel is from that paper, in the ink's direction; the pixels taken
    as the digit's strokes (specks, lines and other objects left out); the
    ink rescaled so a typical stroke is 1; and the 28x28 digit of
    :func:`digitnet.images.place_digit`.

    Parameters
    ----------
    picture : numpy.ndarray, shape (rows, columns) or (rows, columns, 3)
        A gray picture (float 0.0-1.0 or uint8) or an RGB one (uint8).
    axes : sequence of 6 matplotlib.axes.Axes, optional
        Where to draw; a new figure with two rows of three panels (legible
        on a phone's screen) if omitted.

    Returns
    -------
    numpy.ndarray of matplotlib.axes.Axes, shape (6,)

    Examples
    --------
    >>> from digitnet.datasets import load_sample
    >>> from digitnet.plotting import plot_preparation
    >>> from digitnet.specimens import photo
    >>> axes = plot_preparation(photo(load_sample()[0][0], pen=2))
    >>> [ax.get_title() for ax in axes][-1]
    'what the network sees'
    """
    from .images import digit_ink, place_digit
    from .picture import luma

    picture = np.asarray(picture)
    gray = luma(picture) if picture.ndim == 3 else picture
    ink = digit_ink(gray)
    difference = np.abs(gray - ink.paper)
    panels = [
        (picture if picture.ndim == 3 else gray, "gray"),
        (ink.paper, "gray"),
        (difference, DIGIT_CMAP),
        (ink.strokes, DIGIT_CMAP),
        (ink.level, DIGIT_CMAP),
        (place_digit(ink), DIGIT_CMAP),
    ]
    if axes is None:
        _, axes = _new_figure(2, 3, figsize=(7.5, 5.6))
    axes = np.asarray(axes).ravel()
    for ax, (image, cmap), title in zip(axes, panels, PREPARATION_STEPS):
        ink_scale = cmap == DIGIT_CMAP
        ax.imshow(image, cmap=None if image.ndim == 3 else cmap, vmin=0,
                  vmax=max(float(np.max(image)), 1e-9) if ink_scale else 1,
                  interpolation="nearest")
        ax.set_title(title, fontsize=11)
        ax.set_xticks([])
        ax.set_yticks([])
    return axes
