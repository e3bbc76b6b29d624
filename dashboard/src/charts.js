// ECharts with only what the dashboard draws, so the bundle carries no other chart.
import { BarChart, LineChart, ParallelChart, ScatterChart } from "echarts/charts";
import {
  GridComponent, LegendComponent, ParallelComponent, TitleComponent, TooltipComponent, VisualMapComponent,
} from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";

echarts.use([
  BarChart, LineChart, ParallelChart, ScatterChart, GridComponent, LegendComponent, ParallelComponent, TitleComponent,
  TooltipComponent, VisualMapComponent, CanvasRenderer,
]);

export { echarts };
