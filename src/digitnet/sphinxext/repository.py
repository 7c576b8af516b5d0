"""The public repository the book is built from: source and Binder launch buttons.

sphinx-book-theme shows a repository button and, per executed page, a Binder
launch button once ``html_theme_options`` names a public repository. The
book finds it the way a reader would expect: ``DIGITNET_REPOSITORY_URL`` (and
``DIGITNET_REPOSITORY_BRANCH``) if set; on Read the Docs, its own variables
say where the build was cloned from and which branch, tag or (for a pull
request) commit it is; elsewhere git's ``origin`` remote and the checked-out
branch. A CI clone's ``origin`` is a local path: no buttons then.
"""

import os
import re
import subprocess

#: Binder opens a page's MyST source as a notebook: ``.binder/`` installs the
#: package and jupytext and makes jupytext JupyterLab's viewer for ``.md``
#: files. No Colab button: Colab opens only ``.ipynb`` files stored in a GitHub
#: repository, and the book's sources are MyST Markdown (each page's executed
#: ``.ipynb`` is in the download menu instead, and runs anywhere).
LAUNCH_BUTTONS = {"binderhub_url": "https://mybinder.org", "notebook_interface": "jupyterlab"}

_CLONE_URL = re.compile(
    r"(?:https?://(?:[^@/]+@)?|ssh://(?:[^@/]+@)?|[^@/:]+@)([^/:]+)[/:]([^/]+)/([^/]+?)(?:\.git)?/?"
)


def public_repository_url(url):
    """``https://host/org/repo`` for a clone URL that a launch service can reach.

    Parameters
    ----------
    url : str or None
        A clone URL: ``https://host/org/repo(.git)``, ``git@host:org/repo(.git)``
        or ``ssh://git@host/org/repo(.git)``; credentials in it are dropped.

    Returns
    -------
    str or None
        The repository's public web address, or None for a local path, a
        ``file://`` URL, an empty string or None.

    Examples
    --------
    >>> public_repository_url("git@github.com:org/digitnet.git")
    'https://github.com/org/digitnet'
    >>> public_repository_url("https://token@github.com/org/digitnet")
    'https://github.com/org/digitnet'
    >>> public_repository_url("/srv/ci/clone") is None
    True
    """
    match = _CLONE_URL.fullmatch((url or "").strip())
    return f"https://{match[1]}/{match[2]}/{match[3]}" if match else None


def _git(folder, *args):
    """git's one-line answer in `folder`, or None (no git, not a repository, an error)."""
    try:
        done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 and done.stdout.strip() else None


def find_repository(folder, environ):
    """The public repository's URL and the git ref this build is of, or ``(None, None)``.

    Parameters
    ----------
    folder : str or path
        The checkout (where ``git`` is asked when the environment says nothing).
    environ : mapping of str to str
        The environment: ``DIGITNET_REPOSITORY_URL``/``_BRANCH`` win, then Read
        the Docs' ``READTHEDOCS_GIT_CLONE_URL`` and ``READTHEDOCS_GIT_IDENTIFIER``
        (``READTHEDOCS_GIT_COMMIT_HASH`` for a pull request's build).

    Returns
    -------
    (str, str) or (None, None)

    Examples
    --------
    >>> find_repository("/nonexistent", {"READTHEDOCS": "True",
    ...     "READTHEDOCS_GIT_CLONE_URL": "https://github.com/org/digitnet.git",
    ...     "READTHEDOCS_GIT_IDENTIFIER": "v1.0"})
    ('https://github.com/org/digitnet', 'v1.0')
    """
    url = public_repository_url(
        environ.get("DIGITNET_REPOSITORY_URL")
        or environ.get("READTHEDOCS_GIT_CLONE_URL")
        or _git(folder, "remote", "get-url", "origin")
    )
    if url is None:
        return None, None
    ref = environ.get("DIGITNET_REPOSITORY_BRANCH")
    if not ref and environ.get("READTHEDOCS") == "True":
        external = environ.get("READTHEDOCS_VERSION_TYPE") == "external"
        ref = environ.get("READTHEDOCS_GIT_COMMIT_HASH" if external else "READTHEDOCS_GIT_IDENTIFIER")
    if not ref:
        branch = _git(folder, "rev-parse", "--abbrev-ref", "HEAD")
        ref = branch if branch and branch != "HEAD" else _git(folder, "rev-parse", "HEAD")
    return url, ref or "main"


def add_repository_buttons(app, config):
    """Give the theme the repository and launch buttons, when the repository is public."""
    url, ref = find_repository(app.confdir, os.environ)
    if url is None:
        return
    config.html_theme_options = {
        **config.html_theme_options,
        "repository_url": url,
        "repository_branch": ref,
        "path_to_docs": "",  # conf.py is at the root: page "docs/chapters/x" is docs/chapters/x.md
        "use_repository_button": True,
        "launch_buttons": LAUNCH_BUTTONS,
    }


def setup(app):
    app.connect("config-inited", add_repository_buttons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
