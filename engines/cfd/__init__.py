"""CFD-lite cooling: coolant channel networks (``cfd.network``) and 2D laminar flow with heat
transfer (``cfd.flow2d``), and the coupling of channel networks to 3D conduction."""
