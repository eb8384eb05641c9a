from tests.checks.conftest import assert_outcome

INVENTORY = "checks/test_inventory.py"


def test_inventory_checks_pass_on_healthy_demo(healthy):
    assert_outcome(healthy["test_visible_products_in_stock"], "pass")
    assert_outcome(healthy["test_stock_above_low_threshold"], "pass")
    assert healthy["test_visible_products_in_stock"]["measurements"]["visible_out_of_stock"] == 0
    assert healthy["test_stock_above_low_threshold"]["measurements"]["low_stock_products"] == 0


def test_low_stock_degrades_and_sold_out_product_on_sale_fails(check_runner, fault):
    fault("low_stock")
    results = check_runner.run(INVENTORY)
    assert_outcome(results["test_stock_above_low_threshold"], "degraded", "DJ-EA-008", "(2 <= 5)")
    assert_outcome(results["test_visible_products_in_stock"], "fail", "1 products on sale are out of stock: DJ-NE-019")
