"""The regulator's own people: staff roles, teams by region and sector, and who holds them."""
