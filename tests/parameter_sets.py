"""The default parameter file with some values changed, for tests of the scheme and of parameter files."""
import json

from desert_carbon.core.parameters import load_parameters, parameters_from_document


def document_with(**changes) -> dict:
    """The default parameter document with the given values."""
    document = json.loads(open(load_parameters().source).read())
    for key, value in changes.items():
        document["parameters"][key]["value"] = value
    return document


def params_with(**changes):
    """The default ParameterSet with the given values (source "test")."""
    return parameters_from_document(document_with(**changes), "test")
