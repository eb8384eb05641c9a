"""Faults only a real browser notices: JavaScript errors, cookie consent, checkout UI."""

from demoshop.faults import flags
from demoshop.faults.kinds import flag_fault

FAULTS = [
    flag_fault(flags.PAYMENT_500, "the checkout's payment step (POST /checkout) answers HTTP 500"),
    flag_fault(flags.ORDER_WITHOUT_ITEMS, "orders are saved without their order_items rows"),
    flag_fault(flags.TOTALS_DIFFER, "orders are saved with a total NGN 1,500 above the sum of their items"),
    flag_fault(flags.CONFIRMATION_EMAIL_OFF, "the shop sends no order confirmation email"),
    flag_fault(flags.JS_ERROR, "a broken upsell script throws on product pages and blocks add-to-cart"),
    flag_fault(flags.LOGIN_BROKEN, "customer sign-in rejects every password"),
    flag_fault(flags.STOCK0_SELLABLE, "product pages offer add-to-cart even when the product cannot be sold (stock 0)"),
    flag_fault(flags.BANNER_OFF, "the cookie consent banner is not shown"),
    flag_fault(flags.TRACKING_COOKIE_BEFORE_CONSENT, "the shop sets the _ga_demo analytics cookie before any consent"),
]
