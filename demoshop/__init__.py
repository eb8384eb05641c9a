"""The demo stack: a realistic stand-in for the Dija Accessories shop, with fault switches."""
