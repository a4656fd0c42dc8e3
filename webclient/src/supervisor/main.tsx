import { render } from "preact";
import "../shared/ui/base.css";
import "../console/console.css";
import "./supervisor.css";
import { StaffApi } from "../shared/http/api";
import { App } from "./App";

const root = document.getElementById("app");
if (root) render(<App api={new StaffApi()} />, root);
