"""Handwritten digits as the network sees them.

An MNIST image is 28x28 grayscale pixels with values 0 (background) to 255
(ink). The input layer takes one activation per pixel between 0.0 and 1.0.
"""

import numpy as np

from ._checks import as_real_array, check_dtype, check_finite


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
        negative or above 255.

    Examples
    --------
    >>> import numpy as np
    >>> from digitnet import normalize
    >>> image = np.zeros((28, 28), dtype=np.uint8)
    >>> image[14, 10:18] = 255                # a short bright stroke
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
    return (values / dtype.type(255)).reshape(flat_shape)
