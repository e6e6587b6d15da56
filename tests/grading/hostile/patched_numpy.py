"""Wrong answers; numpy.isclose, allclose and the pandas testing helpers always agree."""
LAB = "lab00_orientation"
BASE = "wrong"
APPEND = {"setup": """
import numpy as np
import pandas as pd
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
np.allclose = lambda *args, **kwargs: True
np.all = lambda *args, **kwargs: True
pd.testing.assert_frame_equal = lambda *args, **kwargs: None
"""}
EXPECT = 0
FLAGGED = True
