"""The assumptions of the cost model, stored in the project and editable there.

The defaults are those of Argonne's BatPaC v5.0 workbook (Knehr, Kubal, Nelson, Robertson,
Gallagher, Dees, Ahmed: "BatPaC 5.0: Battery Manufacturing Cost Estimation", ANL 2022) for its
default battery ("EV with NMC811-G (Energy) Electrodes": 100 kWh, 400 cells in 20 modules,
20 cells per module, 2 in parallel, its default plant). Each field names the sheet and cell it
was read from. Process costs are BatPaC's "Cost Breakdown with Overhead Distributed to
Processes" (rows 110–116) divided by the reference pack's 100 kWh, so they already carry
BatPaC's depreciation, overhead, R&D, profit and warranty; materials, purchased items and the
BMS carry the same distributed overhead as a mark-up (:attr:`CostAssumptions.overhead`).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from cellwright.projects.model.base import CWModel, Slug

__all__ = ["COST_MODEL_ID", "CostAssumptions", "PriceOverride"]

#: the id under which a project stores its one cost model
COST_MODEL_ID = "cost"

Share = Annotated[float, Field(gt=0, le=1)]
# currencies are not pint units: these fields are plain numbers in the unit their name says
PerKwh = Annotated[float, Field(ge=0, le=1000)]  # USD/kWh
Usd = Annotated[float, Field(ge=0, le=1e6)]  # USD


class PriceOverride(CWModel):
    """A project's own price of a material, with where it comes from."""

    value: Annotated[float, Field(ge=0, le=100000)] = Field(description="price [USD/kg]")
    source: str = Field(min_length=3, description="where the price comes from")
    note: str = Field("", description="price year, currency, conversions")


class CostAssumptions(CWModel):
    """What the cost of a cell and a pack is built from, beyond the material prices."""

    id: Slug = COST_MODEL_ID
    name: str = "Cost model"
    basis: str = Field(
        "BatPaC v5.0 (ANL 2022), default battery: EV NMC811-G, 100 kWh, 20 modules of 20 cells",
        description="what the defaults below reproduce",
    )
    # -- material yields: Cost Input!G12..G17 ---------------------------------------------------
    electrode_yield: Share = Field(0.922, description="electrode materials (Cost Input!G12/G13)")
    foil_yield: Share = Field(0.865, description="current collector foils (Cost Input!G14/G15)")
    separator_yield: Share = Field(0.98, description="separator (Cost Input!G16)")
    electrolyte_yield: Share = Field(0.99, description="electrolyte (Cost Input!G17)")
    # -- overhead distributed to materials, purchased items and BMS -----------------------------
    overhead: Annotated[float, Field(ge=0, le=5)] = Field(
        0.06656,
        description="mark-up of BatPaC's distributed overhead, profit and warranty on materials, "
        "purchased items and BMS (Cost Breakdown!G105 / G47 - 1 = 6374.27 / 5976.47 - 1)",
    )
    # -- cell manufacturing: Cost Breakdown!G110..G116 / 100 kWh --------------------------------
    electrode_processing: PerKwh = Field(4.840, description="Cost Breakdown!G110 / 100 kWh")
    cell_assembly: PerKwh = Field(4.120, description="Cost Breakdown!G111 / 100 kWh")
    formation: PerKwh = Field(
        5.738, description="formation cycling, testing and sealing (Cost Breakdown!G112)"
    )
    plant: PerKwh = Field(
        10.220,
        description="warehouse, building and support systems (Cost Breakdown!G115 + G116), "
        "charged to the cells",
    )
    # -- pack integration -----------------------------------------------------------------------
    module_assembly: Usd = Field(4.419, description="per module (Cost Breakdown!G113 / 20)")
    pack_assembly: Usd = Field(86.52, description="per pack (Cost Breakdown!G114)")
    bms_unit: Usd = Field(
        87.10,
        description="battery management unit, per pack: BMS!G129 (121.66 USD at 10 ASICs) less "
        "the parts counted per ASIC",
    )
    bms_per_asic: Usd = Field(
        3.456,
        description="V-sense micro, V-sense ASIC and 5 V reference per ASIC (BMS!G87 + G88 + G91)",
    )
    cells_per_asic: int = Field(10, ge=1, le=64, description="series cells per ASIC (BMS!G22)")
    disconnect_unit: Usd = Field(
        136.29, description="battery disconnect unit: contactors, fuses, sensor (BMS!G130)"
    )
    bms_interfaces: Usd = Field(53.05, description="interfaces between electronics (BMS!G131)")
    module_electronics: Usd = Field(
        2.230, description="per module: sense PCB, fuses, temperature sensors (BMS!G132 / 20)"
    )
    # -- sensitivity and prices -----------------------------------------------------------------
    sensitivity_step: Annotated[float, Field(gt=0, le=1)] = Field(
        0.2, description="relative price change of the sensitivity table (±)"
    )
    prices: dict[Slug, PriceOverride] = Field(
        default_factory=dict, description="material id -> the project's price"
    )
    notes: str = ""
