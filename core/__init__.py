"""The science and the data of the Desert Carbon Sink plugin.

Nothing here imports qgis: these modules run in QGIS, in ``qgis_process`` and in a plain Python
script alike, and the provider and the dock are thin shells over them.
"""
