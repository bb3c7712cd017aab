"""Domain models: validation messages, unit parsing, JSON round-trip and schema."""

from __future__ import annotations

import json

import numpy as np
import pytest
from pydantic import ValidationError

from cellwright.projects.model import (
    CellDesign,
    Electrode,
    Material,
    PackDesign,
    Provenance,
    Result,
    Study,
    describe_validation_error,
)


def _electrode(**kw):
    return Electrode(active_material="nmc811", current_collector="aluminium-foil", **kw)


def test_units_in_text_are_parsed_to_si() -> None:
    e = _electrode(coating_thickness="85.2 um", particle_radius="5.86 µm")
    assert e.coating_thickness == pytest.approx(85.2e-6)
    assert e.particle_radius == pytest.approx(5.86e-6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # pint read the whole text as an expression and multiplied what stood side by side
        ("1,5 h", "'1,5 h': write the decimal point as '.', not ','"),  # was 5 h
        ("298,15 K", "write the decimal point as '.'"),  # was 4470 K
        ("1 000 s", "'1 000 s' is not a number with a unit (expected s)"),  # was 0 s
        ("25 degC 3", "is not a number with a unit"),  # was 348.15 K
        ("1/0 s", "is not a number with a unit"),  # was a ZeroDivisionError
        ("nan s", "'nan s' is not a finite number"),
        ("nan h", "'nan h' is not a finite number"),
        ("1e400 s", "'1e400 s' is not a finite number"),
    ],
)
def test_text_that_is_not_one_number_and_a_unit_is_refused(text, expected) -> None:
    from cellwright.projects.units import UnitError, to_unit

    with pytest.raises(UnitError) as info:
        to_unit(text, "s" if text.endswith(("s", "h")) else "K")
    assert expected in str(info.value)


@pytest.mark.parametrize(
    ("text", "unit", "value"),
    [("25 degC", "K", 298.15), ("25degC", "K", 298.15), ("  25\t°C ", "K", 298.15),
     ("5Ah", "A.h", 5.0), ("1e3mV", "V", 1.0), (".5 mm", "m", 5e-4),
     ("2 L/min", "m^3/s", 2e-3 / 60), ("10 %", "1", 0.1), ("-40 degF", "K", 233.15)],
)  # fmt: skip
def test_units_written_in_the_usual_ways_are_read(text, unit, value) -> None:
    from cellwright.projects.units import to_unit

    assert to_unit(text, unit) == pytest.approx(value)


def test_out_of_range_message_names_field_and_bound() -> None:
    with pytest.raises(ValidationError) as info:
        _electrode(porosity=0.95)
    msg = str(describe_validation_error(info.value, "design.toml"))
    assert msg.startswith("design.toml: porosity")
    assert "0.8" in msg and "0.95" in msg


def test_a_bound_is_shown_as_a_person_writes_it() -> None:
    from pydantic import BaseModel, Field

    class Spec(BaseModel):
        rate: float = Field(gt=0.01 - 1e-12)

    with pytest.raises(ValidationError) as info:
        Spec(rate=-1)
    msg = str(describe_validation_error(info.value))
    assert "rate: Input should be greater than 0.01 (got -1)" in msg


def test_wrong_dimension_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        _electrode(coating_thickness="3 kg")
    assert "cannot be expressed in m" in str(describe_validation_error(info.value))


def test_fractions_must_sum_to_one() -> None:
    with pytest.raises(ValidationError, match="sum to 1"):
        _electrode(active_fraction=0.9, binder_fraction=0.02, additive_fraction=0.02)


def test_material_property_checks() -> None:
    src = "test"
    with pytest.raises(ValidationError, match="outside the allowed range"):
        Material(
            id="x",
            name="X",
            material_class="structural",
            properties={"density": {"value": 1e6, "unit": "kg/m^3", "source": src}},
        )
    with pytest.raises(ValidationError, match="unit must be"):
        Material(
            id="x",
            name="X",
            material_class="structural",
            properties={"density": {"value": 2.7, "unit": "g/cm^3", "source": src}},
        )
    with pytest.raises(ValidationError, match="unknown property"):
        Material(
            id="x",
            name="X",
            material_class="structural",
            properties={"densty": {"value": 2700, "unit": "kg/m^3", "source": src}},
        )


@pytest.mark.parametrize(
    "model",
    [
        _electrode(),
        CellDesign(name="My cell", reference_cell="lg-m50", pybamm_parameter_set="Chen2020"),
        PackDesign(name="Pack", cell="lg-m50", series=96, parallel=4),
        Study(
            name="s",
            engine="electrochem.pybamm_discharge",
            spec={"c_rate": 1},
            design={"kind": "library_cell", "id": "lg-m50"},
        ),
    ],
)
def test_json_round_trip_and_schema(model) -> None:
    again = type(model).model_validate_json(model.model_dump_json())
    assert again == model
    schema = type(model).model_json_schema()
    json.dumps(schema)
    assert schema["type"] == "object"


def test_result_round_trip_keeps_arrays() -> None:
    t = np.linspace(0, 10, 11)
    r = Result(
        series={"Time [s]": t, "Voltage [V]": 4 - 0.01 * t},
        provenance=Provenance(engine_id="e.x", engine_version="1", spec_hash="h"),
    )
    again = Result.model_validate_json(r.model_dump_json())
    np.testing.assert_array_equal(again.series["Voltage [V]"], r.series["Voltage [V]"])


def test_result_series_must_share_time() -> None:
    with pytest.raises(ValidationError, match="shape"):
        Result(
            series={"Time [s]": [0, 1, 2], "Voltage [V]": [4, 3]},
            provenance=Provenance(engine_id="e.x", engine_version="1", spec_hash="h"),
        )


def test_every_stored_kind_round_trips_through_json() -> None:
    """Each model the project file stores survives JSON and has a JSON Schema (for forms)."""
    from cellwright.projects.library import Library
    from cellwright.projects.model import (
        CostAssumptions,
        DesignStudy,
        EcmParameters,
        LabRun,
        ParameterFit,
        PassportDraft,
        PhysicalCell,
        PhysicalPack,
        PriceOverride,
        StudyPoint,
        point_id,
    )
    from cellwright.projects.model.ecm import RCTables
    from cellwright.projects.store import KINDS

    lib = Library.load_builtin()
    grid = np.ones((2, 2, 2))
    examples = {
        "cell": CellDesign(name="c", reference_cell="lg-m50"),
        "pack": PackDesign(name="p", cell="c"),
        "study": Study(
            name="s",
            engine="electrochem.ecm",
            spec={"c_rate": 1},
            design={"kind": "cell", "id": "c"},
        ),
        "material": lib.material("nmc811"),
        "library_cell": lib.cell("lg-m50"),
        "ecm_parameters": EcmParameters(
            name="e",
            source="test grid",
            capacity=1.0,
            temperature_axis=[290, 300],
            current_axis=[-1, 1],
            soc_axis=[0, 1],
            r0=grid * 0.01,
            rc=[RCTables(resistance=grid * 0.01, capacitance=grid * 100)],
            ocv_soc=[0, 1],
            ocv=[3.0, 4.2],
            entropic_ocv_axis=[2.5, 4.5],
            entropic_temperature_axis=[250, 350],
            entropic=np.zeros((2, 2)),
        ),
        "physical_cell": PhysicalCell(name="SN-1", design="lg-m50"),
        "labrun": LabRun(
            name="r",
            source_file="r.csv",
            sha256="0" * 64,
            format="maccor",
            columns=["voltage_volt"],
            rows=3,
        ),
        "physical_pack": PhysicalPack(name="PK-1", production_date="2024-02-01"),
        "passport_draft": PassportDraft(
            id="abc", name="SN-1", values={"battery_category": "ev"}, catenax={"/x": 1}
        ),
        "design_study": DesignStudy(
            name="d",
            engine="electrochem.pybamm_discharge",
            design={"kind": "library_cell", "id": "lg-m50"},
            inputs=[{"path": "spec.c_rate", "low": 0.5, "high": 2.0}],
        ),
        "parameter_fit": ParameterFit(
            name="f",
            physical_cell="abc",
            base_parameter_set="Chen2020",
            model="SPMe",
            runs=["r"],
            parameters=[{"name": "x", "factor": 1.2, "low": 1.1, "high": 1.3}],
            rmse_stock=0.05,
            rmse_fitted=0.01,
        ),
        "study_point": StudyPoint(
            id=point_id("abc", 3), name="d #3", study="abc", index=3, values={"spec.c_rate": 1}
        ),
        "cost_model": CostAssumptions(
            formation=6.0, prices={"lco": PriceOverride(value=30.0, source="a quote")}
        ),
    }
    assert set(examples) == set(KINDS)
    for kind, obj in examples.items():
        again = KINDS[kind].model_validate_json(obj.model_dump_json())
        assert again.model_dump_json() == obj.model_dump_json(), kind
        assert KINDS[kind].model_json_schema()["type"] == "object"
