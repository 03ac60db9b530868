"""``python -m skseq``: the ``skseq`` command, for environments whose scripts
folder is not on ``PATH`` (``python -m skseq reproduce --quick``)."""

import sys

from skseq._cli import main

if __name__ == "__main__":
    sys.exit(main())
