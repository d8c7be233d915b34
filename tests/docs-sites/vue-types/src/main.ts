import "pg-preflight/element";
import { check } from "pg-preflight/api";

const element: HTMLElement | null = document.querySelector("pg-preflight");
void element;
void check({ dsn: "host=db" }).then((report) => report.keyMatch);
