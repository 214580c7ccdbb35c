import { Testing } from "cdktf";
import { skipTokenStackTraces } from "../modules/stack-traces";

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource...
Testing.setupJest();

// Under jest every token's creation trace went through jest's source-mapping formatter: building
// both environments took 3.2 s instead of 0.5 s. Failing tests keep their mapped stacks.
skipTokenStackTraces();
