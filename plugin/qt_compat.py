"""Qt classes that changed module between Qt 5 and Qt 6: imported from where this Qt keeps them."""
try:                                    # Qt 6 (QGIS 4): QAction moved to QtGui
    from qgis.PyQt.QtGui import QAction
except ImportError:                     # Qt 5 (QGIS 3)
    from qgis.PyQt.QtWidgets import QAction

__all__ = ["QAction"]
