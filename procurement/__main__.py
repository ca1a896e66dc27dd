import sys

from procurement.cli import main

sys.exit(main())
