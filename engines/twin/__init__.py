"""State estimation on twin histories: Kalman SOC/SOH, capacity fade, remaining useful life."""
