DROP TABLE maintenance_banner;
