-- The alternative build of the shop (python -m demoshop up --variant alt): the same business,
-- its own names and status words, no flag on the synthetic checkout's orders. No FOREIGN KEYs.
CREATE TABLE products (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  code VARCHAR(32) NOT NULL,
  title VARCHAR(160) NOT NULL,
  slug VARCHAR(160) NOT NULL,
  category VARCHAR(40) NOT NULL,
  price DECIMAL(10,2) NOT NULL,
  in_stock INT NOT NULL DEFAULT 0,
  reorder_level INT NOT NULL DEFAULT 5,
  image VARCHAR(255) NULL,
  image_alt VARCHAR(255) NULL,
  description TEXT NULL,
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  added_on DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  UNIQUE KEY uq_products_code (code),
  UNIQUE KEY uq_products_slug (slug),
  KEY idx_products_category (category, enabled)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE customers (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(190) NOT NULL,
  full_name VARCHAR(160) NOT NULL,
  pass_hash VARCHAR(255) NOT NULL,
  registered_on DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen DATETIME NULL,
  erased_on DATETIME NULL,
  UNIQUE KEY uq_customers_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE sales_orders (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  order_ref VARCHAR(32) NOT NULL,
  customer_id INT UNSIGNED NULL,
  customer_email VARCHAR(190) NOT NULL,
  delivery_address VARCHAR(255) NULL,
  fulfilment ENUM('new','packed','dispatched','delivered','void') NOT NULL DEFAULT 'new',
  pay_state ENUM('PENDING','PAID','FAILED','REFUNDED') NOT NULL DEFAULT 'PENDING',
  pay_method VARCHAR(20) NULL,
  grand_total DECIMAL(10,2) NOT NULL DEFAULT 0,
  customer_note TEXT NULL,
  placed_on DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  paid_on DATETIME NULL,
  fulfilled_on DATETIME NULL,
  UNIQUE KEY uq_sales_orders_ref (order_ref),
  KEY idx_sales_orders_customer (customer_id),
  KEY idx_sales_orders_placed (placed_on),
  KEY idx_sales_orders_email (customer_email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE order_lines (
  line_id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  order_id INT UNSIGNED NOT NULL,
  item_id INT UNSIGNED NOT NULL,
  qty INT NOT NULL DEFAULT 1,
  price_each DECIMAL(10,2) NOT NULL,
  KEY idx_order_lines_order (order_id),
  KEY idx_order_lines_item (item_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE payment_attempts (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  order_id INT UNSIGNED NOT NULL,
  provider VARCHAR(20) NOT NULL,
  provider_ref VARCHAR(64) NOT NULL,
  amount DECIMAL(10,2) NOT NULL,
  state ENUM('ok','declined','pending') NOT NULL,
  attempted_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_payment_attempts_order (order_id),
  KEY idx_payment_attempts_time (attempted_at, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE user_sessions (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  customer_id INT UNSIGNED NULL,
  payload TEXT NULL,
  updated_at DATETIME NOT NULL,
  KEY idx_user_sessions_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE reviews (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  author VARCHAR(160) NOT NULL,
  body TEXT NOT NULL,
  stars TINYINT NOT NULL DEFAULT 5,
  state ENUM('awaiting','published','hidden') NOT NULL DEFAULT 'awaiting',
  submitted_on DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_reviews_state (state, submitted_on)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE promo_banners (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  headline VARCHAR(160) NOT NULL,
  image VARCHAR(255) NULL,
  target_url VARCHAR(255) NULL,
  start_date DATETIME NOT NULL,
  end_date DATETIME NOT NULL,
  visible TINYINT(1) NOT NULL DEFAULT 1
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE staff (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  login VARCHAR(60) NOT NULL,
  email VARCHAR(190) NOT NULL,
  pass_hash VARCHAR(255) NOT NULL,
  role VARCHAR(30) NOT NULL DEFAULT 'manager',
  enabled TINYINT(1) NOT NULL DEFAULT 1,
  added_on DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  last_seen DATETIME NULL,
  UNIQUE KEY uq_staff_login (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE admin_logins (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  login VARCHAR(190) NOT NULL,
  remote_ip VARCHAR(45) NOT NULL,
  outcome ENUM('ok','fail') NOT NULL,
  user_agent VARCHAR(255) NULL,
  tried_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  KEY idx_admin_logins_time (tried_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE mail_outbox (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  recipient VARCHAR(190) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  template VARCHAR(60) NOT NULL,
  state ENUM('waiting','done','error') NOT NULL DEFAULT 'waiting',
  tries INT NOT NULL DEFAULT 0,
  last_error TEXT NULL,
  queued_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  sent_at DATETIME NULL,
  KEY idx_mail_outbox_state (state, queued_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE gateway_callbacks (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  provider VARCHAR(20) NOT NULL,
  event_type VARCHAR(60) NOT NULL,
  reference VARCHAR(64) NULL,
  payload TEXT NULL,
  state ENUM('arrived','handled','error') NOT NULL DEFAULT 'arrived',
  error_text TEXT NULL,
  received_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  processed_at DATETIME NULL,
  KEY idx_gateway_callbacks_received (received_at, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE cart_reminders (
  id INT UNSIGNED AUTO_INCREMENT PRIMARY KEY,
  customer_id INT UNSIGNED NULL,
  email VARCHAR(190) NOT NULL,
  cart_total DECIMAL(10,2) NOT NULL,
  started_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
  reminded_at DATETIME NULL,
  converted TINYINT(1) NOT NULL DEFAULT 0,
  KEY idx_cart_reminders_started (started_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
