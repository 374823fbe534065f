"""MicroCommunity (HC小区管理系统, java110) on MySQL/MariaDB: repairs, their steps, photos and
ratings, complaints, buildings, rooms and owners. See docs/connectors.md for the mapping."""
