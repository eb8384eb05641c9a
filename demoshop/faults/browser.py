"""Faults only a real browser notices: JavaScript errors, cookie consent, checkout UI."""
from demoshop.faults import flag_fault

flag_fault("payment_500", "the checkout's payment step (POST /checkout) answers HTTP 500")
flag_fault("order_without_items", "orders are saved without their order_items rows")
flag_fault("totals_differ", "orders are saved with a total NGN 1,500 above the sum of their items")
flag_fault("confirmation_email_off", "the shop sends no order confirmation email")
flag_fault("js_error", "a broken upsell script throws on product pages and blocks add-to-cart")
flag_fault("login_broken", "customer sign-in rejects every password")
flag_fault("stock0_sellable", "product pages offer add-to-cart even when the product cannot be sold (stock 0)")
flag_fault("banner_off", "the cookie consent banner is not shown")
flag_fault("tracking_cookie_before_consent", "the shop sets the _ga_demo analytics cookie before any consent")
