"""Constants of the robust fits shared by the calibration and the open-path correction."""

MAD_TO_SD = 1.4826      # the median absolute deviation of a normal sample times this is its standard deviation
