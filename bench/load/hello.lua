request = function() return wrk.format("GET", "/hello") end
