"""The cost model's defaults rebuild BatPaC v5.0's own reference pack.

Reference: Argonne BatPaC v5.0 workbook (Knehr et al. 2022), default battery "EV with
NMC811-G (Energy) Electrodes", 100 kWh, 20 modules, 100 cells in series (read in the copy kept
in github rginster/batpy, docs/example_data/excel_workbooks/BatPaC.xlsm). Its sheet "Cost
Breakdown" gives materials 5976.47, purchased items 1489.62 and BMS 355.60 USD/pack (G47..G49),
and the total pack cost 11009.06 USD (G57, = 110.09 USD/kWh, Summary of Results!G155); the BMS
sheet gives the BMS total 355.60 USD (G133). Our structure (the mark-up on materials, items and
BMS; per-kWh process costs; assembly per module and pack; the BMS counted per ASIC and module)
must rebuild both totals from those inputs.
"""

from __future__ import annotations

import math

import pytest

from cellwright.projects.model import CostAssumptions

MATERIALS, ITEMS, BMS_TOTAL, PACK_TOTAL = 5976.473543, 1489.622282, 355.601140, 11009.057501
SERIES, MODULES, ENERGY_KWH = 100, 20, 100.0


def _bms(a: CostAssumptions) -> float:
    asics = math.ceil(SERIES / a.cells_per_asic)
    return (
        a.bms_unit
        + asics * a.bms_per_asic
        + a.disconnect_unit
        + a.bms_interfaces
        + MODULES * a.module_electronics
    )


def test_bms_count_rebuilds_batpac_bms_cost() -> None:
    assert _bms(CostAssumptions()) == pytest.approx(BMS_TOTAL, rel=2e-4)


def test_defaults_rebuild_batpac_pack_cost() -> None:
    a = CostAssumptions()
    per_kwh = a.electrode_processing + a.cell_assembly + a.formation + a.plant
    total = (
        (MATERIALS + ITEMS + _bms(a)) * (1 + a.overhead)
        + per_kwh * ENERGY_KWH
        + MODULES * a.module_assembly
        + a.pack_assembly
    )
    assert total == pytest.approx(PACK_TOTAL, rel=5e-4)
    assert total / ENERGY_KWH == pytest.approx(110.09, rel=5e-4)
