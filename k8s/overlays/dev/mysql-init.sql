-- Runs once, when the MySQL data directory is first initialised (dev only).
-- One database and one user per owning service: no service can read another's
-- tables (DESIGN.md "Each service owns its tables").
CREATE DATABASE IF NOT EXISTS gt_plan CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
CREATE DATABASE IF NOT EXISTS gt_milestone CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;
CREATE DATABASE IF NOT EXISTS gt_gateway CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci;

CREATE USER IF NOT EXISTS 'gt_plan'@'%' IDENTIFIED BY 'dev-plan-password';
CREATE USER IF NOT EXISTS 'gt_milestone'@'%' IDENTIFIED BY 'dev-milestone-password';
CREATE USER IF NOT EXISTS 'gt_gateway'@'%' IDENTIFIED BY 'dev-gateway-password';

GRANT ALL PRIVILEGES ON gt_plan.* TO 'gt_plan'@'%';
GRANT ALL PRIVILEGES ON gt_milestone.* TO 'gt_milestone'@'%';
GRANT ALL PRIVILEGES ON gt_gateway.* TO 'gt_gateway'@'%';
